"""A MoRiLE-style threat, risk and harm score, with every scale taken from configuration.

MoRiLE (Management of Risk in Law Enforcement) scores harm, likelihood and the organisation's
ability to respond. Its official tables are distributed to forces privately, so forcewatch holds
*no* scale values in code: every allowed score, multiplier range, weight and the combination rule
come from a versioned configuration (:class:`MorileScales`, read from the method document). The
bundled default is a forcewatch proposal, not official MoRiLE.

    harm_base  = max_i(harm_i)  or  Σ weight_i × harm_i      (configured rule)
    harm_total = harm_base × m_vulnerability × m_scope        (multipliers within a configured range)
    risk       = harm_total × likelihood
    priority   = risk × org_weight[org_position]
    confidence: reported beside the score, never multiplied in

All arithmetic is exact (``Fraction``), so 1.5 × 3 is 4.5 and never 4.499999.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import UsageError
from .canonical import Serialisable, fraction_text
from .staffing import Exact, exact

__all__ = [
    "COMBINATIONS",
    "MorileInputs",
    "MorileResult",
    "MorileScales",
    "likelihood_for_rate",
    "morile_score",
]

COMBINATIONS = ("max", "weighted_sum")
_MORILE_KEYS = (
    "source",
    "harm_dimensions",
    "harm_scale",
    "combination",
    "weights",
    "vulnerability_multiplier",
    "scope_multiplier",
    "likelihood_scale",
    "likelihood_bands",
    "org_weight",
    "confidence_grades",
)


def _text(value: Fraction) -> str:
    return fraction_text(value)


@dataclass(frozen=True)
class MorileScales(Serialisable):
    """The configured scales: allowed values, multiplier ranges, weights and the combination rule."""

    source: str
    harm_dimensions: tuple[str, ...]
    harm_scale: tuple[Fraction, ...]
    combination: str
    weights: Mapping[str, Fraction]
    vulnerability_range: tuple[Fraction, Fraction]
    scope_range: tuple[Fraction, Fraction]
    likelihood_scale: tuple[Fraction, ...]
    org_weight: Mapping[int, Fraction]
    confidence_grades: tuple[str, ...]
    #: optional (upper bound of rate, likelihood score) bands, the last with no upper bound
    likelihood_bands: tuple[tuple[Fraction | None, Fraction], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "harm_dimensions": list(self.harm_dimensions),
            "harm_scale": [_text(v) for v in self.harm_scale],
            "combination": self.combination,
            "weights": {k: _text(v) for k, v in sorted(self.weights.items())},
            "vulnerability_multiplier": {
                "min": _text(self.vulnerability_range[0]),
                "max": _text(self.vulnerability_range[1]),
            },
            "scope_multiplier": {
                "min": _text(self.scope_range[0]),
                "max": _text(self.scope_range[1]),
            },
            "likelihood_scale": [_text(v) for v in self.likelihood_scale],
            "likelihood_bands": [
                {"below": None if b is None else _text(b), "score": _text(s)}
                for b, s in self.likelihood_bands
            ],
            "org_weight": {str(k): _text(v) for k, v in sorted(self.org_weight.items())},
            "confidence_grades": list(self.confidence_grades),
        }

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "morile") -> MorileScales:
        """Read and check the ``morile`` section of a method document (numbers as exact decimals)."""
        if not isinstance(data, Mapping):
            raise UsageError(
                f"{where} must be a mapping of scales", hint="see profiles/method/default_stra.yaml"
            )
        unknown = sorted(str(k) for k in data if k not in _MORILE_KEYS)
        if unknown:
            raise UsageError(
                f"{where}.{unknown[0]} is not a known setting",
                hint="known: " + ", ".join(_MORILE_KEYS),
            )

        def need(key: str) -> Any:
            if key not in data:
                raise UsageError(
                    f"{where}.{key} is missing", hint=f"add {key} to the {where} section"
                )
            return data[key]

        def num(value: Any, key: str) -> Fraction:
            return exact(value, f"{where}.{key}")

        def num_list(key: str) -> tuple[Fraction, ...]:
            values = need(key)
            if not isinstance(values, Sequence) or isinstance(values, str) or not values:
                raise UsageError(f"{where}.{key} must be a non-empty list of numbers")
            return tuple(num(v, key) for v in values)

        def multiplier(key: str) -> tuple[Fraction, Fraction]:
            spec = need(key)
            if not isinstance(spec, Mapping) or set(spec) != {"min", "max"}:
                raise UsageError(
                    f"{where}.{key} must have exactly min and max", hint="e.g. {min: 1, max: 2}"
                )
            lo, hi = num(spec["min"], key + ".min"), num(spec["max"], key + ".max")
            if not 0 < lo <= hi:
                raise UsageError(f"{where}.{key} needs 0 < min <= max")
            return lo, hi

        dims = tuple(str(d) for d in need("harm_dimensions"))
        if not dims or len(set(dims)) != len(dims):
            raise UsageError(f"{where}.harm_dimensions must list distinct dimension names")
        combination = str(need("combination"))
        if combination not in COMBINATIONS:
            raise UsageError(
                f"{where}.combination {combination!r} is not known", hint="use max or weighted_sum"
            )
        raw_weights = data.get("weights") or {}
        weights = {str(k): num(v, f"weights.{k}") for k, v in raw_weights.items()}
        if combination == "weighted_sum" and set(weights) != set(dims):
            raise UsageError(
                f"{where}.weights must give a weight for each harm dimension with weighted_sum",
                hint="dimensions: " + ", ".join(dims),
            )
        org = need("org_weight")
        if not isinstance(org, Mapping) or not org:
            raise UsageError(
                f"{where}.org_weight must map each organisational position to a weight"
            )
        bands = []
        for i, band in enumerate(data.get("likelihood_bands") or ()):
            below = band.get("below")
            bands.append(
                (
                    None if below is None else num(below, f"likelihood_bands[{i}].below"),
                    num(band["score"], f"likelihood_bands[{i}].score"),
                )
            )
        grades = tuple(str(g) for g in need("confidence_grades"))
        return cls(
            str(data.get("source", "")),
            dims,
            num_list("harm_scale"),
            combination,
            weights,
            multiplier("vulnerability_multiplier"),
            multiplier("scope_multiplier"),
            num_list("likelihood_scale"),
            {int(k): num(v, f"org_weight.{k}") for k, v in org.items()},
            grades,
            tuple(bands),
        )


@dataclass(frozen=True)
class MorileInputs:
    """One scored threat: harm per dimension, multipliers, likelihood, position and confidence."""

    harm: Mapping[str, Exact]
    vulnerability: Exact
    scope: Exact
    likelihood: Exact
    org_position: int
    confidence: str


@dataclass(frozen=True)
class MorileResult(Serialisable):
    """Every intermediate of the score; ``confidence`` is carried beside it, never multiplied in."""

    harm: Mapping[str, Fraction]
    harm_base: Fraction
    vulnerability: Fraction
    scope: Fraction
    harm_total: Fraction
    likelihood: Fraction
    risk: Fraction
    org_position: int
    org_weight: Fraction
    priority: Fraction
    confidence: str
    combination: str
    scales_source: str
    formulas: tuple[str, ...] = field(
        default=(
            "harm_base = max_i(harm_i) or sum_i(weight_i * harm_i)",
            "harm_total = harm_base * m_vulnerability * m_scope",
            "risk = harm_total * likelihood",
            "priority = risk * org_weight[org_position]",
        )
    )


def morile_score(inputs: MorileInputs, scales: MorileScales) -> MorileResult:
    """Score one threat under ``scales``; refuses any value outside the configured scales."""
    harm = {}
    missing = set(scales.harm_dimensions) - set(inputs.harm)
    extra = set(inputs.harm) - set(scales.harm_dimensions)
    if missing or extra:
        raise UsageError(
            "harm must give a score for each configured dimension and no others",
            hint="dimensions: " + ", ".join(scales.harm_dimensions),
        )
    for dim in scales.harm_dimensions:
        value = exact(inputs.harm[dim], f"harm.{dim}")
        if value not in scales.harm_scale:
            raise UsageError(
                f"harm.{dim} = {_text(value)} is not on the harm scale",
                hint="allowed: " + ", ".join(_text(v) for v in scales.harm_scale),
            )
        harm[dim] = value
    if scales.combination == "max":
        base = max(harm.values())
    else:
        base = sum((scales.weights[d] * v for d, v in harm.items()), Fraction(0))
    vuln, scope = exact(inputs.vulnerability, "vulnerability"), exact(inputs.scope, "scope")
    for name, value, (lo, hi) in (
        ("vulnerability", vuln, scales.vulnerability_range),
        ("scope", scope, scales.scope_range),
    ):
        if not lo <= value <= hi:
            raise UsageError(
                f"{name} multiplier {_text(value)} is outside the configured range",
                hint=f"between {_text(lo)} and {_text(hi)}",
            )
    likelihood = exact(inputs.likelihood, "likelihood")
    if likelihood not in scales.likelihood_scale:
        raise UsageError(
            f"likelihood {_text(likelihood)} is not on the likelihood scale",
            hint="allowed: " + ", ".join(_text(v) for v in scales.likelihood_scale),
        )
    if inputs.org_position not in scales.org_weight:
        raise UsageError(
            f"organisational position {inputs.org_position!r} is not configured",
            hint="positions: " + ", ".join(str(k) for k in sorted(scales.org_weight)),
        )
    if inputs.confidence not in scales.confidence_grades:
        raise UsageError(
            f"confidence {inputs.confidence!r} is not a configured grade",
            hint="grades: " + ", ".join(scales.confidence_grades),
        )
    total = base * vuln * scope
    risk = total * likelihood
    weight = scales.org_weight[inputs.org_position]
    return MorileResult(
        harm,
        base,
        vuln,
        scope,
        total,
        likelihood,
        risk,
        inputs.org_position,
        weight,
        risk * weight,
        inputs.confidence,
        scales.combination,
        scales.source,
    )


def likelihood_for_rate(rate: Exact, scales: MorileScales) -> Fraction:
    """The likelihood score for an observed rate from the configured bands (first band it is below)."""
    if not scales.likelihood_bands:
        raise UsageError(
            "no likelihood_bands are configured", hint="add likelihood_bands to the morile section"
        )
    value = exact(rate, "rate")
    for below, score in scales.likelihood_bands:
        if below is None or value < below:
            return score
    raise UsageError(
        f"rate {_text(value)} is above every likelihood band",
        hint="end the bands with one without 'below'",
    )
