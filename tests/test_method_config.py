"""The versioned method document: YAML in, canonical JSON out, SHA-256, and clear refusals."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from forcewatch.errors import UsageError
from forcewatch.method.config import MethodConfig, load_method, method_profiles
from forcewatch.method.document import load_yaml_text

DEFAULT = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "forcewatch"
    / "profiles"
    / "method"
    / "default_stra.yaml"
)


def default_text() -> str:
    return DEFAULT.read_text(encoding="utf-8")


def load_text(text: str) -> MethodConfig:
    return MethodConfig.from_mapping(load_yaml_text(text))


def test_the_default_profile_is_a_proposal_with_its_placeholders_listed() -> None:
    config = load_method()
    assert method_profiles() == ["ced_reports_stra", "default_stra"]
    assert config.info.status == "proposal"
    assert "not official" in default_text().lower()
    assert config.judgements_required == (
        "demand_event",
        "service_level.beta",
        "staffing.abstraction",
        "staffing.buffer",
    )
    assert config.demand_event.text.startswith("PLACEHOLDER")


def test_decimals_are_read_exactly_from_the_yaml_text() -> None:
    config = load_method()
    assert config.staffing.abstraction == Decimal("0.25")
    assert config.staffing.buffer == Decimal("0.10")
    assert config.beta == Decimal("0.05")
    assert config.morile.org_weight[3] == Decimal("1.5")


def test_the_hash_is_of_the_canonical_json_and_ignores_comments_and_layout() -> None:
    config = load_method()
    relaid = load_text(
        "# a comment\n" + default_text().replace("crewing: pairs ", "crewing:    pairs ")
    )
    assert relaid.sha256 == config.sha256
    assert len(config.sha256) == 64
    assert json.loads(config.canonical_json())["staffing"] == {
        "abstraction": "0.25",
        "buffer": "0.1",
        "teams": "5",
    }


def test_changing_any_value_changes_the_hash() -> None:
    changed = load_text(default_text().replace("beta: 0.05", "beta: 0.04"))
    assert changed.beta == Decimal("0.04")
    assert changed.sha256 != load_method().sha256


def test_the_canonical_json_reads_back_to_the_same_document() -> None:
    config = load_method()
    again = MethodConfig.from_mapping(json.loads(config.canonical_json()))
    assert again.canonical_json() == config.canonical_json()
    assert again == config


def test_a_force_can_load_its_own_document_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "north.yaml"
    path.write_text(
        default_text()
        .replace("name: forcewatch-default-stra", "name: north-stra")
        .replace("version: 0.1.0", "version: 1.2.0"),
        encoding="utf-8",
    )
    config = load_method(path)
    assert (config.info.name, config.info.version) == ("north-stra", "1.2.0")


def test_the_demand_filter_is_machine_readable() -> None:
    event = load_method().demand_event
    assert event.source == "incidents"
    assert event.matches({"grade": 1, "markers": ["weapon"]})
    assert not event.matches({"grade": 3, "markers": ["weapon"]})
    assert not event.matches({"grade": 2, "markers": ["alcohol"]})


@pytest.mark.parametrize(
    ("old", "new", "field", "fix"),
    [
        (
            "abstraction: 0.25",
            "abstraction: 1.2",
            "staffing.abstraction = 1.2 must be",
            "share of time",
        ),
        (
            "abstraction: 0.25",
            "abstration: 0.25",
            "staffing.abstration is not a known setting",
            "staffing.abstraction",
        ),
        ("beta: 0.05", "beta: 0", "service_level.beta = 0 must be above 0", "e.g. 0.05"),
        ("version: 0.1.0", "version: one", "method.version", "MAJOR.MINOR.PATCH"),
        ("crewing: pairs", "crewing: trios", "crewing = 'trios' is not allowed", "pairs, singles"),
        (
            "shortfall_at: central",
            "shortfall_at: median",
            "decision_rule.shortfall_at",
            "lower_bound",
        ),
        (
            '{key: "08-16", start: 8, end: 16}',
            '{key: "08-16", start: 9, end: 16}',
            "hour block '08-16'",
            "covering 0 to 24",
        ),
        ("combination: max", "combination: weighted_sum", "morile.weights", "dimensions"),
        ("  - cost\n", "  - costs\n", "indicators lists 'costs'", "cost"),
        (
            "ced_hierarchy: mps_ho_table",
            "ced_hierarchy: mps",
            "ced_hierarchy 'mps'",
            "mps_ho_table",
        ),
        ("  method: demand_ci ", "  method: bootstrap ", "interval.method", "monte_carlo"),
        (
            "high: 0.30}",
            "high: 0.22}",
            "does not contain the central value 0.25",
            "Monte Carlo range",
        ),
        (
            "    - staffing.buffer\n",
            "    - staffing.bufer\n",
            "method.placeholders names 'staffing.bufer'",
            "staffing.buffer",
        ),
    ],
)
def test_invalid_documents_are_refused_naming_the_field_and_the_fix(
    old: str, new: str, field: str, fix: str
) -> None:
    text = default_text()
    assert old in text, old
    with pytest.raises(UsageError) as info:
        load_text(text.replace(old, new, 1))
    assert field in info.value.message
    assert fix in str(info.value)


def test_a_missing_section_is_named() -> None:
    text = default_text()
    start = text.index("funnel:")
    end = text.index("disparity:")
    with pytest.raises(UsageError, match="funnel is missing"):
        load_text(text[:start] + text[end:])


def test_a_non_number_is_refused_with_its_line() -> None:
    with pytest.raises(UsageError, match="line"):
        load_yaml_text("beta: .inf\n")


def test_an_unknown_profile_lists_the_bundled_ones() -> None:
    with pytest.raises(UsageError) as info:
        load_method("defualt")
    assert "default_stra" in str(info.value)


def test_monte_carlo_needs_a_seed() -> None:
    text = (
        default_text()
        .replace("  method: demand_ci ", "  method: monte_carlo ")
        .replace("  seed: 20160101", "")
    )
    with pytest.raises(UsageError, match="interval.seed is missing"):
        load_text(text)


def test_funnel_and_disparity_settings_plug_straight_into_the_statistics() -> None:
    from forcewatch.stats.disparity import disparity_rows
    from forcewatch.stats.funnel import FunnelUnit, poisson_funnel

    config = load_method()
    funnel = poisson_funnel(
        [FunnelUnit("a", 5, 100), FunnelUnit("b", 9, 120)], **config.funnel.funnel_kwargs()
    )
    assert (
        funnel.limits_method == "exact" and funnel.adjustment == "additive" and funnel.z95 == 1.96
    )
    rows = disparity_rows(
        "2019-20",
        "E23000001",
        "ced",
        {"white": (200, 500_000), "black": (4, 20_000)},
        **config.disparity.disparity_kwargs(),
    )
    assert "fewer than 10" in rows[0].note
