"""The rules of the national form: value readings, masks, CED classes, one report at a time."""

from __future__ import annotations

import itertools

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forcewatch import vocab
from forcewatch.ced import ced_class, highest_by_mask, LEVEL_BITS
from forcewatch.form_values import FORM_TACTICS, read
from forcewatch.masks import MASK_KEYS, QUALITY_FLAGS, mask_of, keys_of
from forcewatch.normalise import normalise_frame
from forcewatch.record import normalise_report


def test_mask_bits_follow_the_vocabulary_order_and_never_move() -> None:
    for dimension in ("location", "reason", "impact_factor", "outcome"):
        assert MASK_KEYS[dimension] == tuple(t.key for t in vocab.DIMENSIONS[dimension])
    assert MASK_KEYS["tactic"] == tuple(t.key for t in vocab.TACTICS)
    assert MASK_KEYS["ced_level"] == vocab.CED_LEVELS
    assert len(MASK_KEYS["tactic"]) < 63 and len(QUALITY_FLAGS) < 31
    assert mask_of("outcome", ["arrested"]) == 2 and keys_of("location", 1 | 1 << 13) == ["street_highway", "dwelling"]


@pytest.mark.parametrize(("levels", "mps", "listing", "klass"), [
    ({"drawn", "aimed", "red_dot", "fired"}, "fired", "fired", "discharge"),
    ({"angled_drive_stun", "fired"}, "angled_drive_stun", "fired", "discharge"),
    ({"arced", "red_dot"}, "arced", "red_dot", "non_discharge"),
    (set(), None, None, "not_stated"),
])
def test_ced_highest_use_from_the_levels_mask(levels, mps, listing, klass) -> None:  # type: ignore[no-untyped-def]
    mask = sum(LEVEL_BITS[level] for level in levels)
    assert highest_by_mask("mps_ho_table")[mask] == mps
    assert highest_by_mask("listing_2015")[mask] == listing
    assert ced_class(True, mask) == klass and ced_class(False, mask) is None


def test_health_category_column_wise_matches_the_vocabulary_rule() -> None:
    answers = {"Yes": True, "No": False, "": None}
    for physical, mental in itertools.product(answers, repeat=2):
        report, _ = normalise_report({"IncidentDate": "2019-01-01", "PhysicalDisability": physical,
                                      "MentalDisability": mental})
        assert report.report["health"] == vocab.health_category(answers[physical], answers[mental])


def test_values_that_cannot_be_stored_faithfully_are_errors() -> None:
    assert read("date", "31/02/2019").severity == "error"
    assert read("yes_no", "Maybe").severity == "error"
    assert read("tactic", "Taser").severity == "error"
    assert read("count", "two").severity == "error"
    assert read("age", "2017-11-01 00:00:00").value == "11_17"
    assert read("borough", "City of Westminster").value == "Westminster"
    assert read("weapons", "Firearm, Catapult").severity == "warning"
    assert read("staff_injured", "Yes, I was injured as a result of an assault").value == "yes"


def test_one_form_is_checked_exactly_as_an_import_row() -> None:
    fields = {"IncidentDate": "2019-01-05", "Tactic 1": "NON-COMPLIANT HANDCUFFING", "Tactic 2": "CED (Taser) Arced",
              "SubjectEthnicity": "Purple", "Outcome: Arrested": "yes", "StaffInjured": "No", "StaffInjuryLevel": "Minor"}
    report, problems = normalise_report(fields)
    assert {(p.severity, p.column) for p in problems} == {
        ("repair", "Tactic 1"), ("error", "SubjectEthnicity"), ("repair", "Outcome: Arrested")}
    assert report.keys("outcome") == ["arrested"] and report.report["ced_class"] == "non_discharge"
    assert "injury_contradiction" in report.quality_flags
    frame = pl.DataFrame({k: [v] for k, v in {"incident_date": "2019-01-05", "tactic_1": "Non-compliant handcuffing",
                                                "tactic_2": "CED (Taser) Arced"}.items()})
    assert normalise_frame(frame).reports.row(0, named=True)["tactic_mask"] == report.report["tactic_mask"]


_LABELS = {
    "yes_no": ["Yes", "No"], "tactic": list(FORM_TACTICS), "age": ["0-10", "11-17", "65 and over"],
    "ethnicity": ["White", "Black (or Black British)", "Chinese"], "gender": ["Male", "Female"],
}


@given(st.sampled_from(sorted(_LABELS)).flatmap(lambda k: st.tuples(st.just(k), st.sampled_from(_LABELS[k]))),
       st.lists(st.booleans(), min_size=120, max_size=120))
def test_reading_is_case_insensitive_and_idempotent(kind_label, upper) -> None:  # type: ignore[no-untyped-def]
    kind, label = kind_label
    mangled = "".join(c.upper() if u else c.lower() for c, u in zip(label, upper))
    first = read(kind, mangled)
    assert first.value == read(kind, label).value and first.severity in (None, "repair")
    assert read(kind, label).severity is None


def test_a_label_in_any_letter_case_is_read_as_the_form_s_own_label() -> None:
    # "Spit guard" is also a Home Office synonym of spit_bite_guard; the form's "Spit Guard" wins
    assert read("tactic", "SPIT GUARD").value == read("tactic", "Spit guard").value == read("tactic", "Spit Guard").value == "spit_guard"


BASE = {"IncidentDate": "2018-06-01", "IncidentTime": "21:30", "Tactic 1": "Baton Drawn", "Effective 1": "Yes",
        "Tactic 2": "CED (Taser) Fired", "CED Used": "Yes", "CED Fired": "Yes", "CED Fired Cartridge Number": "1",
        "CED Front 3": "Yes", "SubjectAge": "18-34", "Incident Location: Dwelling": "Yes", "Borough": "Lambeth"}


@pytest.mark.parametrize("change", [
    {"IncidentTime": "21:31"}, {"Effective 1": "No"}, {"Tactic 1": "Baton Used"}, {"CED Front 3": "No"},
    {"CED Fired Cartridge Number": "2"}, {"CED2 Drawn": "Yes"}, {"Incident Location: Dwelling": "No"},
    {"Incident Location: Street/Highway": "No"}, {"SubjectAge": "35-49"}, {"MainDuty": "Custody"},
    {"ThreatenedWithWeapon": "Kick"}, {"StaffInjured": "Yes"}, {"Outcome: Arrested": "No"},
])
def test_any_changed_answer_changes_the_content_hash(change: dict[str, str]) -> None:
    base = normalise_report(BASE, force_code="E23000001")[0].report["content_hash"]
    assert normalise_report({**BASE, **change}, force_code="E23000001")[0].report["content_hash"] != base


def test_letter_case_and_spelling_repairs_keep_the_content_hash() -> None:
    base = normalise_report(BASE, force_code="E23000001")[0].report["content_hash"]
    respelt = {**BASE, "Tactic 1": "BATON DRAWN", "Borough": "lambeth", "CED Used": "yes", "IncidentTime": "21:30:00"}
    assert normalise_report(respelt, force_code="E23000001")[0].report["content_hash"] == base
