"""The demand-coverage model, end to end: demand counts to a recommended trained headcount.

threat-risk-assessment.md section 5. For each (area, hour block) with n demand events in T hours:

1. λ̂ = n/T events per hour with its exact (Garwood) interval;
2. P(at least one event in a shift of L hours) = 1 − e^(−λL), the plain-language figure;
3. offered load a = λ·E[S]; units needed = smallest c with Erlang B(c, a) <= β, at the central
   estimate and at both bounds (``demand_ci``), or quantiles over Monte Carlo draws of λ, E[S]
   and α (``monte_carlo``); a unit is two STOs if crewing is in pairs;
4. per area, STOs needed on duty = the maximum over its blocks;
5. trained headcount = ⌈ on_duty × R / (1 − α) × (1 + ρ) ⌉ in exact arithmetic;
6. the recommendation "L to U, central C", compared with the current headcount under the
   decision rule (shortfall AND priority >= threshold, else "no increase").

The force total adds the areas' headcounts (each area keeps its own cover). Everything is pure
and deterministic; :func:`run_coverage` returns the result and its calculation trace, and
:func:`verify_trace` re-runs a stored trace and checks it is byte-identical.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..errors import UsageError
from ..stats.erlang import units_for_blocking
from ..stats.morile import MorileResult, morile_score
from ..stats.poisson import prob_at_least_one, rate_interval
from ..stats.staffing import exact, stos_for_units, trained_headcount
from .config import MethodConfig
from .decision import Bounds, decide, force_decision, recommendation_text
from .inputs import BlockDemand, CoverageInputs
from .montecarlo import MonteCarloOutcome, simulate
from .results import AreaRequirement, BlockCoverage, CoverageResult
from .trace import TraceBuilder

__all__ = [
    "ENGINE",
    "ENGINE_VERSION",
    "TOTAL",
    "AreaRequirement",
    "BlockCoverage",
    "BlockDemand",
    "CoverageInputs",
    "CoverageResult",
    "run_coverage",
]

ENGINE = "coverage"
#: bump whenever a change to this engine could change any output byte
ENGINE_VERSION = "1.0.0"
#: the area key of the force total
TOTAL = "all"


def _priority(
    inputs: CoverageInputs, config: MethodConfig, steps: TraceBuilder
) -> tuple[MorileResult | None, Fraction | None]:
    if inputs.threat is not None:
        result = morile_score(inputs.threat, config.morile)
        steps.add(
            "priority",
            "; ".join(result.formulas) + "; confidence reported beside, never multiplied in",
            {"threat": inputs.threat_dict(), "scales_source": config.morile.source},
            {k: v for k, v in result.as_dict().items() if k != "formulas"},
        )
        return result, result.priority
    if inputs.priority is not None:
        value = exact(inputs.priority, "priority")
        steps.add(
            "priority",
            "given directly (no MoRiLE breakdown supplied)",
            {"priority": value},
            {"priority": value},
        )
        return None, value
    steps.add("priority", "not supplied", {}, {"priority": None})
    return None, None


def run_coverage(config: MethodConfig, inputs: CoverageInputs) -> CoverageResult:
    """Run the demand-coverage model under ``config`` on ``inputs``; pure and deterministic."""
    unknown = sorted({d.block for d in inputs.demand} - set(config.block_keys))
    if unknown:
        raise UsageError(
            f"demand names hour block {unknown[0]!r}, which the method does not define",
            hint="the method's blocks: " + ", ".join(config.block_keys),
        )
    steps = TraceBuilder()
    level = float(config.interval.level)
    steps.add(
        "method",
        "the method document in force for this run (its SHA-256 fingerprints it)",
        {"name": config.info.name, "version": config.info.version},
        {
            "sha256": config.sha256,
            "beta": config.beta,
            "crewing": config.crewing,
            "commitment_hours": config.commitment_hours,
            "staffing": config.staffing.as_dict(),
            "interval": config.interval.method,
            "judgements_required": list(config.judgements_required),
        },
    )
    demand = sorted(inputs.demand, key=lambda d: (d.area, d.block))
    hours = {(d.area, d.block): exact(d.hours, "hours") for d in demand}
    mc = None
    if config.interval.method == "monte_carlo":
        mc = simulate(
            config, [(d.area, d.block, d.events, hours[(d.area, d.block)]) for d in demand], level
        )
        steps.add(
            "monte_carlo",
            "draws of E[S], alpha and lambda (see method docs); quantiles of the results",
            {"interval": config.interval.as_dict()},
            dict(mc.step),
        )
    blocks = [_block(d, hours[(d.area, d.block)], config, level, mc, steps) for d in demand]
    threat, priority = _priority(inputs, config, steps)
    areas = [
        _area(
            area,
            [b for b in blocks if b.area == area],
            config,
            inputs.current_for(area),
            priority,
            mc,
            steps,
        )
        for area in sorted({b.area for b in blocks})
    ]
    total = _total(areas, config, inputs, priority, steps)
    steps.add(
        "summary",
        "force decision: increase if any area's decision is increase; uplift = sum of area uplifts",
        {},
        {
            "recommendation": total.recommendation,
            "decision": total.decision.decision,
            "uplift": total.decision.uplift,
            "reasons": list(total.decision.reasons),
        },
    )
    trace = steps.build(
        ENGINE, ENGINE_VERSION, config.summary(), config.as_dict(), inputs.as_dict()
    )
    return CoverageResult(
        config.summary(),
        config.interval.method,
        level,
        threat,
        priority,
        tuple(blocks),
        tuple(areas),
        total,
        total.decision.decision,
        trace,
    )


def _block(
    d: BlockDemand,
    t: Fraction,
    config: MethodConfig,
    level: float,
    mc: MonteCarloOutcome | None,
    steps: TraceBuilder,
) -> BlockCoverage:
    """Steps 1-4 for one (area, hour block): rate, chance in a shift, Erlang B, STOs."""
    es, beta, shift = (
        Fraction(config.commitment_hours),
        float(config.beta),
        float(config.shift_hours),
    )
    key, label = (d.area, d.block), f"{d.area}/{d.block}"
    ci = rate_interval(d.events, t, level)
    central_rate = Fraction(d.events) / t
    steps.add(
        f"rate[{label}]",
        "lambda = n/T; exact CI chi2.ppf((1-level)/2, 2n)/(2T) .. chi2.ppf((1+level)/2, 2n+2)/(2T)",
        {"events": d.events, "hours": t, "level": level},
        {"rate": ci.rate, "low": ci.low, "high": ci.high},
    )
    p = Bounds(
        prob_at_least_one(ci.low, shift),
        prob_at_least_one(ci.rate, shift),
        prob_at_least_one(ci.high, shift),
    )
    steps.add(
        f"chance_in_shift[{label}]",
        "P(at least one event in L hours) = 1 - exp(-lambda L)",
        {"shift_hours": config.shift_hours},
        p.as_dict(),
    )
    central = units_for_blocking(float(central_rate * es), beta)
    if mc is None:
        low, high = (units_for_blocking(r * float(es), beta) for r in (ci.low, ci.high))
        load = Bounds(low.load, central.load, high.load)
        units = Bounds(low.units, central.units, high.units)
        steps.add(
            f"erlang_b[{label}]",
            "a = lambda E[S]; B(0) = 1, B(k) = a B(k-1)/(k + a B(k-1)); smallest c with B(c, a) <= beta",
            {
                "commitment_hours": config.commitment_hours,
                "beta": config.beta,
                "crewing": config.crewing,
            },
            {"low": low.as_dict(), "central": central.as_dict(), "high": high.as_dict()},
        )
    else:
        load = Bounds(mc.block_load[key][0], central.load, mc.block_load[key][1])
        units = Bounds(mc.block_units[key][0], central.units, mc.block_units[key][1])
        steps.add(
            f"erlang_b[{label}]",
            "central: smallest c with B(c, a) <= beta at a = lambda-hat E[S]; bounds: Monte Carlo quantiles",
            {
                "commitment_hours": config.commitment_hours,
                "beta": config.beta,
                "crewing": config.crewing,
            },
            {"central": central.as_dict(), "load": load.as_dict(), "units": units.as_dict()},
        )
    stos = Bounds(
        *(stos_for_units(u, config.crewing) for u in (units.low, units.central, units.high))
    )
    return BlockCoverage(
        d.area, d.block, d.events, t, ci.rate, ci.low, ci.high, p, load, units, stos
    )


def _area(
    area: str,
    blocks: list[BlockCoverage],
    config: MethodConfig,
    current: int | None,
    priority: Fraction | None,
    mc: MonteCarloOutcome | None,
    steps: TraceBuilder,
) -> AreaRequirement:
    on_duty = Bounds(*(max(getattr(b.stos, k) for b in blocks) for k in ("low", "central", "high")))
    busiest = max(blocks, key=lambda b: b.stos.central).block
    steps.add(
        f"on_duty[{area}]",
        "STOs on duty = max over hour blocks of units x STOs per unit",
        {"stos_by_block": {b.block: b.stos.as_dict() for b in blocks}},
        {**on_duty.as_dict(), "busiest_block": busiest},
    )
    s = config.staffing
    central = trained_headcount(on_duty.central, s.teams, s.abstraction, s.buffer)
    if mc is None:
        low, high = (
            trained_headcount(n, s.teams, s.abstraction, s.buffer)
            for n in (on_duty.low, on_duty.high)
        )
        headcount: Bounds[Fraction | None] = Bounds(low.exact, central.exact, high.exact)
        required = Bounds(low.required, central.required, high.required)
        steps.add(
            f"headcount[{area}]",
            central.formula,
            {"teams": s.teams, "abstraction": s.abstraction, "buffer": s.buffer},
            {"low": low.as_dict(), "central": central.as_dict(), "high": high.as_dict()},
        )
    else:
        on_duty = Bounds(mc.area_on_duty[area][0], on_duty.central, mc.area_on_duty[area][1])
        headcount = Bounds(None, central.exact, None)
        required = Bounds(mc.area_required[area][0], central.required, mc.area_required[area][1])
        steps.add(
            f"headcount[{area}]",
            central.formula + "; bounds: Monte Carlo quantiles of the drawn headcounts",
            {"teams": s.teams, "abstraction": s.abstraction, "buffer": s.buffer},
            {
                "central": central.as_dict(),
                "on_duty": on_duty.as_dict(),
                "required": required.as_dict(),
                "median_of_draws": mc.area_median[area],
            },
        )
    return _recommend(area, on_duty, busiest, headcount, required, config, current, priority, steps)


def _recommend(
    area: str,
    on_duty: Bounds[int],
    busiest: str | None,
    headcount: Bounds[Fraction | None],
    required: Bounds[int],
    config: MethodConfig,
    current: int | None,
    priority: Fraction | None,
    steps: TraceBuilder,
) -> AreaRequirement:
    text = recommendation_text(required)
    decision = decide(required, current, priority, config.decision)
    steps.add(
        f"decision[{area}]",
        "increase only if required (at "
        + config.decision.shortfall_at
        + ") > current AND priority >= threshold",
        {
            "required": required.as_dict(),
            "current": current,
            "priority": priority,
            "rule": config.decision.as_dict(),
        },
        {"recommendation": text, **decision.as_dict()},
    )
    return AreaRequirement(area, on_duty, busiest, headcount, required, text, decision)


def _total(
    areas: list[AreaRequirement],
    config: MethodConfig,
    inputs: CoverageInputs,
    priority: Fraction | None,
    steps: TraceBuilder,
) -> AreaRequirement:
    def add(values: list[Any]) -> Any:
        return None if any(v is None for v in values) else sum(values)

    on_duty = Bounds(
        *(sum(getattr(a.on_duty, k) for a in areas) for k in ("low", "central", "high"))
    )
    headcount: Bounds[Fraction | None] = Bounds(
        *(add([getattr(a.headcount, k) for a in areas]) for k in ("low", "central", "high"))
    )
    required = Bounds(
        *(sum(getattr(a.required, k) for a in areas) for k in ("low", "central", "high"))
    )
    currents = [a.decision.current for a in areas]
    current = add(currents)
    steps.add(
        f"headcount[{TOTAL}]",
        "force total = sum over areas of each area's (ceilinged) headcount",
        {"required_by_area": {a.area: a.required.as_dict() for a in areas}},
        {"on_duty": on_duty.as_dict(), "required": required.as_dict(), "current": current},
    )
    decision = force_decision(
        [(a.area, a.decision) for a in areas], required, current, priority, config.decision
    )
    return AreaRequirement(
        TOTAL, on_duty, None, headcount, required, recommendation_text(required), decision
    )
