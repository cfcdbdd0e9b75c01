"""Counting the register on a date and over time: pure functions over officer histories.

Counting rules (docs/register.md):

- an officer is **counted on a day** when their posting that day has a serving status (not
  ``left``); groups (team, area, status, rank, role) are taken from that posting;
- **trained** = ever passed a course for the skill; **in date** = authorised that day (see
  :mod:`forcewatch.register_state`); **lapsed**, **failed**, **withdrawn** = trained but not in
  date for that reason; trained = in date + lapsed + failed + withdrawn;
- **in date, not eligible** = in date but of a status the policy in force that day does not
  allow (such officers are not counted in the headcount the assessment uses);
- **share of response officers trained** = in date / officers, among officers whose role is
  ``response``;
- **throughput** in a period (the day after the previous point, to the point, inclusive): passes
  and fails of initial courses and requalifications; **failure rate** = fails / attempts;
  **lapses** = authorisations of serving officers whose first lapsed day falls in the period;
  **lapse rate** = lapses / officers in date at the start of the period.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any, Iterable, Sequence

from .eligibility import PolicySet, check_deployment
from .errors import UsageError
from .periods import add_months
from .register_state import AUTHORISATION_STATES, OfficerHistory, lapse_dates
from .register_vocab import RESPONSE_ROLE

__all__ = ["GROUPINGS", "COUNT_FIELDS", "tally", "series_points", "period_starts", "throughput", "EVERY"]

#: what counts can be grouped by (columns of a posting)
GROUPINGS = ("team", "area", "status", "rank", "role")
COUNT_FIELDS = ("officers", "trained", *AUTHORISATION_STATES, "in_date_not_eligible", "eligible_in_date",
                "share_in_date")
#: series steps in months
EVERY = {"month": 1, "quarter": 3, "year": 12}
MAX_POINTS = 400


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _finish(c: Counter[str]) -> dict[str, Any]:
    row: dict[str, Any] = {k: c.get(k, 0) for k in COUNT_FIELDS if k != "share_in_date"}
    row["trained"] = sum(c.get(k, 0) for k in AUTHORISATION_STATES if k != "never_trained")
    row["share_in_date"] = _share(row["in_date"], row["officers"])
    return row


def tally(histories: Iterable[OfficerHistory], on: date, by: Sequence[str], skill: str,
          policies: PolicySet) -> dict[str, Any]:
    """Counts on ``on``: a ``total`` row (with the response share) and one row per group of ``by``."""
    unknown = [b for b in by if b not in GROUPINGS]
    if unknown:
        raise UsageError(f"cannot count by {unknown[0]!r}", hint="group by: " + ", ".join(GROUPINGS))
    total: Counter[str] = Counter()
    groups: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    response: Counter[str] = Counter()
    for history in histories:
        posting = history.posting_on(on)
        if posting is None or not history.serving_on(on):
            continue
        deployment = check_deployment(history, skill, on, policies)
        state = deployment.authorisation.state
        flags = ["officers", state]
        if state == "in_date":
            flags.append("eligible_in_date" if deployment.eligible else "in_date_not_eligible")
        key = tuple(str(getattr(posting, b) or "(not recorded)") for b in by)
        for flag in flags:
            total[flag] += 1
            groups[key][flag] += 1
        if posting.role == RESPONSE_ROLE:
            response.update(flags)
    rows = [{**dict(zip(by, key)), **_finish(c)} for key, c in sorted(groups.items())]
    result = _finish(total)
    result.update(response_officers=response["officers"], response_in_date=response["in_date"],
                  response_share_in_date=_share(response["in_date"], response["officers"]))
    return {"total": result, "groups": rows}


def series_points(start: date, end: date, every: str) -> list[date]:
    """``start``, then every month (quarter, year) after it, up to ``end`` inclusive."""
    if every not in EVERY:
        raise UsageError(f"unknown step {every!r}", hint="every: " + ", ".join(EVERY))
    if end < start:
        raise UsageError(f"the series ends ({end}) before it starts ({start})")
    points, k = [], 0
    while (point := add_months(start, k * EVERY[every])) <= end:
        points.append(point)
        k += 1
        if k > MAX_POINTS:
            raise UsageError(f"more than {MAX_POINTS} points", hint="use a longer step (--every quarter or year)")
    return points


def period_starts(points: Sequence[date], every: str) -> list[date]:
    """The first day of the period ending at each point (the day after the previous point)."""
    return [add_months(points[0], -EVERY[every]) + timedelta(days=1)] + [p + timedelta(days=1) for p in points[:-1]]


def throughput(histories: Sequence[OfficerHistory], points: Sequence[date], every: str, skill: str,
               policies: PolicySet, in_date_at_start: Sequence[int]) -> list[dict[str, Any]]:
    """Training passes and fails, lapses, and their rates, in the period ending at each point.

    ``in_date_at_start[i]`` is the number of officers in date on the day before period ``i`` starts.
    """
    starts = period_starts(points, every)
    events: dict[int, Counter[str]] = defaultdict(Counter)

    def bucket(day: date) -> int | None:
        for i, (s, e) in enumerate(zip(starts, points)):
            if s <= day <= e:
                return i
        return None

    for h in histories:
        for e in h.of_kind("training", skill=skill):
            if (i := bucket(e.event_date)) is not None:
                events[i][f"{e.course}_{'passes' if e.result == 'pass' else 'fails'}"] += 1
        for lapse in lapse_dates(h, skill, points[-1], policies.expiry_of):
            if h.serving_on(lapse) and (i := bucket(lapse)) is not None:
                events[i]["lapses"] += 1
    rows = []
    for i, (first, last) in enumerate(zip(starts, points)):
        c = events[i]
        passes = c["initial_passes"] + c["requalification_passes"]
        fails = c["initial_fails"] + c["requalification_fails"]
        rows.append({"period_start": first, "period_end": last, "initial_passes": c["initial_passes"],
                     "initial_fails": c["initial_fails"], "requalification_passes": c["requalification_passes"],
                     "requalification_fails": c["requalification_fails"],
                     "failure_rate": _share(fails, passes + fails),
                     "requalification_failure_rate": _share(c["requalification_fails"],
                                                            c["requalification_passes"] + c["requalification_fails"]),
                     "lapses": c["lapses"], "in_date_at_start": in_date_at_start[i],
                     "lapse_rate": _share(c["lapses"], in_date_at_start[i])})
    return rows
