"""The MoRiLE-style score with every scale from configuration (worked example 3.1)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from forcewatch.errors import UsageError
from forcewatch.stats.morile import MorileInputs, MorileScales, likelihood_for_rate, morile_score

PLACEHOLDER_SCALES: dict[str, Any] = {
    "source": "test placeholder, not official",
    "harm_dimensions": ["physical", "psychological", "financial", "community"],
    "harm_scale": [0, 1, 2, 3, 4],
    "combination": "max",
    "vulnerability_multiplier": {"min": 1, "max": 2},
    "scope_multiplier": {"min": 1, "max": 2},
    "likelihood_scale": [1, 2, 3, 4],
    "org_weight": {1: "0.5", 2: "1.0", 3: "1.5", 4: "2.0"},
    "confidence_grades": ["low", "medium", "high"],
}
HARM = {"physical": 3, "psychological": 2, "financial": 1, "community": 2}


def scales(**changes: Any) -> MorileScales:
    return MorileScales.from_mapping({**PLACEHOLDER_SCALES, **changes})


def test_worked_example_3_1() -> None:
    result = morile_score(MorileInputs(HARM, "1.5", "1.0", 3, 3, "medium"), scales())
    assert result.harm_base == 3
    assert result.harm_total == Fraction("4.5")
    assert result.risk == Fraction("13.5")
    assert result.org_weight == Fraction("1.5")
    assert result.priority == Fraction("20.25")
    assert result.confidence == "medium"
    data = result.as_dict()
    assert (data["harm_total"], data["risk"], data["priority"]) == ("4.5", "13.5", "20.25")


def test_confidence_is_carried_beside_the_score_never_multiplied_in() -> None:
    low = morile_score(MorileInputs(HARM, "1.5", "1.0", 3, 3, "low"), scales())
    high = morile_score(MorileInputs(HARM, "1.5", "1.0", 3, 3, "high"), scales())
    assert low.priority == high.priority and (low.confidence, high.confidence) == ("low", "high")


def test_a_weighted_sum_rule_comes_from_configuration() -> None:
    weighted = scales(
        combination="weighted_sum",
        weights={"physical": "0.4", "psychological": "0.3", "financial": "0.1", "community": "0.2"},
    )
    result = morile_score(MorileInputs(HARM, "1", "1", 2, 2, "low"), weighted)
    assert result.harm_base == Fraction("2.3")  # 1.2 + 0.6 + 0.1 + 0.4, exactly
    assert result.priority == Fraction("4.6")


def test_changing_the_configured_weights_changes_the_priority() -> None:
    doubled = scales(org_weight={1: 1, 2: 2, 3: 3, 4: 4})
    assert morile_score(
        MorileInputs(HARM, "1.5", "1.0", 3, 3, "medium"), doubled
    ).priority == Fraction("40.5")  # 13.5 x 3


@pytest.mark.parametrize(
    ("inputs", "match"),
    [
        (MorileInputs({**HARM, "physical": 5}, "1", "1", 3, 3, "low"), "harm.physical"),
        (MorileInputs({"physical": 3}, "1", "1", 3, 3, "low"), "each configured dimension"),
        (MorileInputs(HARM, "2.5", "1", 3, 3, "low"), "vulnerability multiplier"),
        (MorileInputs(HARM, "1", "1", 5, 3, "low"), "likelihood"),
        (MorileInputs(HARM, "1", "1", 3, 7, "low"), "organisational position"),
        (MorileInputs(HARM, "1", "1", 3, 3, "certain"), "confidence"),
    ],
)
def test_values_off_the_configured_scales_are_refused(inputs: MorileInputs, match: str) -> None:
    with pytest.raises(UsageError, match=match):
        morile_score(inputs, scales())


def test_weighted_sum_needs_a_weight_per_dimension() -> None:
    with pytest.raises(UsageError, match="weights"):
        scales(combination="weighted_sum", weights={"physical": 1})


def test_an_unknown_scale_key_is_refused() -> None:
    with pytest.raises(UsageError, match="morile.org_weights"):
        scales(org_weights={1: 1})


def test_likelihood_from_configured_rate_bands() -> None:
    banded = scales(
        likelihood_bands=[
            {"below": "0.1", "score": 1},
            {"below": "0.5", "score": 2},
            {"below": "2", "score": 3},
            {"score": 4},
        ]
    )
    assert [likelihood_for_rate(r, banded) for r in ("0.05", "0.1", "1.99", "40")] == [1, 2, 3, 4]
    with pytest.raises(UsageError, match="likelihood_bands"):
        likelihood_for_rate("0.3", scales())
