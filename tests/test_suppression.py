"""One small-number rule for every public output: primary, secondary across totals and across nested counts."""

from __future__ import annotations

from datetime import date

from forcewatch import attrition
from forcewatch.access import PUBLIC, SYSTEM
from forcewatch.review.report import area_report
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.suppression import (
    SUPPRESSED,
    SuppressionRule,
    nested_groups,
    rule_from_settings,
    statement,
    suppress,
    suppressed_cells,
)

from .assault_fixtures import AVON_ANALYST, NATIONAL, event, record


def test_the_rule_is_stated_in_the_same_words_everywhere_and_takes_its_threshold_from_the_settings() -> None:
    rule = rule_from_settings(Settings(suppression_threshold=3))
    assert rule == SuppressionRule(3) and rule.statement() == statement(3) == rule.as_dict()["statement"]
    assert statement(3).startswith("Counts from 1 to 3 are suppressed (shown as 'suppressed')")
    assert "difference of two figures" in statement(3) and "Zero is shown" in statement(3)
    assert statement(0) == "No counts are suppressed (the suppression threshold is 0)."
    assert [suppress(n, 3) for n in (0, 1, 3, 4, 2.0, 2.5, True)] == [0, SUPPRESSED, SUPPRESSED, 4, SUPPRESSED, 2.5,
                                                                     True]


def test_a_small_difference_between_nested_counts_hides_the_inner_one() -> None:
    values, groups = nested_groups({"recorded": 40, "identified": 38, "charged": 20}, ["recorded", "identified",
                                                                                      "charged"])
    assert values[("difference", "recorded", "identified")] == 2
    hidden = {k for k in suppressed_cells(values, groups, SuppressionRule(5)) if isinstance(k, str)}
    assert hidden == {"identified"}  # 40 - 38 = 2 would otherwise be known; 38 - 20 = 18 is then not
    assert suppressed_cells(values, groups, SuppressionRule(0)) == set()


def _assaults(store: Store, n: int, arrested: int, double_crewed: int = 0) -> None:
    for i in range(n):
        assault_id = record(store, CrimeRef=f"CR/{i}", VictimStaffId=f"AB{i}",
                            SingleCrewed="no" if i < double_crewed else "yes")
        if i < arrested:
            event(store, assault_id, "arrest", "2024-03-05")


def test_the_public_funnel_hides_a_stage_whose_difference_from_the_one_before_is_small(store: Store) -> None:
    _assaults(store, 12, arrested=10)
    period = {"date_from": date(2024, 3, 1), "date_to": date(2024, 3, 31)}
    full = attrition.attrition_funnel(store, AVON_ANALYST, **period)["rows"][0]
    assert (full["recorded"], full["suspect_identified"], full["charged"]) == (12, 10, 0)
    public = attrition.attrition_funnel(store, SYSTEM, public=True, **period)
    (row,) = public["rows"]
    assert (row["recorded"], row["suspect_identified"], row["charged"], row["open"]) == (12, None, 0, 12)
    assert row["suppressed"] == "suspect_identified" and row["pct_suspect_identified"] is None
    assert public["suppression"] == statement(5)


def test_the_public_review_report_hides_a_figure_whose_complement_is_small(store: Store) -> None:
    _assaults(store, 12, arrested=10, double_crewed=2)
    report = area_report(store, PUBLIC, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31), public=True)
    figures = {f["label"]: f for a in report["areas"] for f in a["figures"]}
    # 10 of 12 single crewed would say 2 were not: hidden; 0 of 12 injured says nothing small
    assert figures["Officer single crewed"] == {"label": "Officer single crewed", "count": None, "base": None,
                                                "of": "of assaults", "pct": None, "suppressed": True}
    assert figures["Assaults with an injury"]["count"] == 0 and not figures["Assaults with an injury"]["suppressed"]
    assert [s["count"] for s in report["funnel"]][:3] == [12, None, 0]
    assert report["suppression"] == statement(5)
    unsuppressed = area_report(store, NATIONAL, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    assert [s["count"] for s in unsuppressed["funnel"]][:3] == [12, 10, 0]
    assert {f["label"]: f["count"] for a in unsuppressed["areas"] for f in a["figures"]}["Officer single crewed"] == 10
