"""The register's input to the threat and risk assessment: trained Taser officers now, by area.

:func:`current_headcount_snapshot` is the ``current_headcount`` provider of the assessment
(``forcewatch.snapshot_providers`` entry point in ``pyproject.toml``; contract in
docs/assessment.md). It counts the officers **serving, Taser-trained, in date and eligible** on the
assessment's as-at day (:func:`forcewatch.register.count_on`, by posting area, under the
eligibility policies in force that day) and keys them by the assessment's **demand areas**, so the
coverage model compares like with like. The rule (:func:`place_by_demand_area`):

1. when the force's records name no borough, demand has one area, ``"whole force"``: every counted
   officer is in it, with their register areas kept as its parts;
2. when the records name boroughs, an officer counts in the demand area their posting's area names
   (letter case and spacing ignored, as the register reads areas), under the demand area's
   spelling; a register area no demand area names keeps its own name (the run lists it, without
   demand, as ignored), and a demand area no posting names gets no headcount (the run cannot judge
   it: "not decided"), never a guessed zero;
3. when the records hold no demand (a demand extract is given instead), the register's own area
   names are used: name the extract's areas the same way.

A force without a register in forcewatch gets no snapshot (the headcount is then given). The
snapshot is aggregates only: counts by area and the policy documents used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .access import SYSTEM, force_operator
from .assessment import SnapshotData, SnapshotRequest
from .assessment.inputs_records import WHOLE_FORCE, demand_areas
from .register import count_on, holds_register
from .store import Store

__all__ = ["AREA_RULE", "current_headcount_snapshot", "place_by_demand_area"]

#: the rule in words, stored with every snapshot
AREA_RULE = ("officers serving, Taser-trained, in date and eligible on the as-at day, by their posting's area, "
             "keyed by the assessment's demand areas: all in 'whole force' (register areas as its parts) when the "
             "records name no borough; else the demand area of the same name (case and spacing ignored), a "
             "register area no demand area names under its own name")


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def place_by_demand_area(by_area: Mapping[str, int], areas: list[str]) -> dict[str, int | dict[str, int]]:
    """The register's counts by posting area, keyed by the demand ``areas`` (the rule above; pure)."""
    counted = {a: int(n) for a, n in sorted(by_area.items())}
    if areas == [WHOLE_FORCE]:
        return {WHOLE_FORCE: counted or 0}
    named = {_key(a): a for a in areas}
    placed: dict[str, int] = {}
    for area, n in counted.items():
        key = named.get(_key(area), area)
        placed[key] = placed.get(key, 0) + n
    return dict(placed)


def current_headcount_snapshot(store: Store, request: SnapshotRequest) -> SnapshotData | None:
    """Trained Taser officers now, by demand area, from the Taser-trained officer register."""
    force = request.force_code
    if not holds_register(store, force):
        return None
    reader = request.principal if request.principal not in (None, SYSTEM) else force_operator(force)
    assert reader is not None
    counts = count_on(store, reader, force, request.as_at, ("area",))
    register_areas = {str(g["area"]): int(g["eligible_in_date"]) for g in counts.groups if g["eligible_in_date"]}
    areas = demand_areas(store, request)
    placed = place_by_demand_area(register_areas, areas)
    wanted = {_key(a) for a in areas}
    content: dict[str, Any] = {
        "by_area": placed,
        "as_at": request.as_at.isoformat(),
        "skill": "ced",
        "register_areas": register_areas,
        "policies": counts.policies,
        "rule": AREA_RULE,
    }
    return SnapshotData(
        content,
        source="taser_register: officers serving, trained, in date and eligible on the as-at day, by posting area, "
        "keyed by the demand areas of the force's records",
        query={"force": force, "on_date": request.as_at.isoformat(), "by": "area", "skill": "ced",
               "demand_areas": areas},
        schema_version="current_headcount/1",
        rows=len(register_areas),
        quality={
            "officers": sum(register_areas.values()),
            "register_areas": len(register_areas),
            "register_areas_without_demand": sorted(a for a in register_areas if areas and areas != [WHOLE_FORCE]
                                                    and _key(a) not in wanted),
            "demand_areas_without_officers": sorted(a for a in areas if a != WHOLE_FORCE and a not in placed),
        },
        as_at=request.as_at,
    )
