"""The demo register: Avon and Somerset and West Midlands, consistent with the reports already stored.

:func:`seed_demo_register` writes an HR/training export for each demo force and imports it through
:func:`forcewatch.register_import.import_register` (so the demo exercises the real import). It must
run **after** the step that stores the simulated records: it reads the CED-involving reports of the
two forces and recognises their officers, because ``forcewatch simulate`` names officers
``<force code>-O<k>`` (k below the force's reports / 20) and the import pseudonymises those
identifiers with the same key (``settings.officer_pseudonym_key``, a fixed public key in demo
mode). Without stored reports it still builds a plausible register, whose officers are the ones a
later simulation would name.

What it writes, per force (seeded, so the same every run; requalifications continue to today):

- every officer the simulator may name, and twice as many who appear on no report (the simulator
  marks about a third of each officer's reports "trained and carrying", so nearly every officer on
  a report must be trained, and the others bring the trained share nearer real forces'); postings on
  response teams A to E and a neighbourhood team in each area; a few student officers,
  probationers and special constables; the demo accounts' officers (``AVON1001`` ...);
- officers who used or carried a CED on a report: trained before their first such report and
  requalified every 10 to 12 months, so in date on every report; each CED use's serial issued and
  returned that day (pool issue);
- about a quarter of the others trained, some of whom stop requalifying (lapses) or fail once;
- deliberate exceptions for the cross-checks to find: one officer whose requalification lapsed
  before a CED use, one special constable using a CED, one report whose serial the register never
  saw, and one device issued to another officer on the day of use.
"""

from __future__ import annotations

import csv
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, or_, select

from .access import force_operator
from .pseudonyms import officer_pseudonym
from .register_import import import_register
from .settings import Settings
from .store import Store
from .store.tables.records import officer_report

__all__ = ["DEMO_FORCES", "seed_demo_register", "demo_register_rows"]

#: force code -> (areas, demo account staff ids and their team, officers when no report is stored)
DEMO_FORCES: dict[str, tuple[tuple[str, ...], dict[str, str], int]] = {
    "E23000036": (("Bristol", "Bath and North East Somerset", "North Somerset", "South Gloucestershire",
                   "Somerset East", "Somerset West"), {"AVON1001": "Bristol Response A", "AVON1002": "Bristol Response A"},
                  240),
    "E23000014": (("Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"),
                  {"WMIDS1001": "Birmingham Response A", "WMIDS1002": "Birmingham Response A"}, 360),
}
HEADER = ("RecordId", "StaffId", "Event", "Date", "Status", "Rank", "Role", "Team", "Area", "Skill", "Course",
          "Result", "Expires", "Serial")


@dataclass
class _Officer:
    staff_id: str
    rng: np.random.Generator
    first_use: date | None = None
    uses: list[tuple[date, str | None]] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)

    def add(self, event: str, day: date, **cells: str) -> None:
        self.rows.append({"StaffId": self.staff_id, "Event": event, "Date": day.isoformat(), **cells})


def _reports(store: Store, force_code: str) -> tuple[int, list[Any]]:
    r = officer_report.c
    with store.read() as conn:
        total = conn.execute(select(func.count()).where(r.force_code == force_code)).scalar_one()
        rows = conn.execute(select(r.id, r.officer_pseudonym, r.incident_date, r.ced, r.ced_serial)
                            .where(r.force_code == force_code, r.officer_pseudonym.is_not(None),
                                   or_(r.ced.is_(True), r.carrying_ced.is_(True), r.ced_serial.is_not(None)))
                            .order_by(r.incident_date, r.id)).all()
    return total, list(rows)


def _passes(o: _Officer, start: date, until: date, *, stop: bool = False, fails: bool = False) -> list[date]:
    """An initial course on ``start`` and requalifications every 300 to 360 days up to ``until``."""
    days, day = [], start
    while day <= until:
        days.append(day)
        if stop and len(days) > 2 and o.rng.random() < 0.3:
            break
        if fails and len(days) > 1 and o.rng.random() < 0.05 and day + timedelta(days=300) <= until:
            o.add("Training", day + timedelta(days=300), Skill="Taser", Course="Requalification", Result="Fail")
            day += timedelta(days=300 + int(o.rng.integers(7, 40)))
            continue
        day += timedelta(days=int(o.rng.integers(300, 361)))
    return days


def _train(o: _Officer, days: list[date]) -> None:
    for i, day in enumerate(days):
        o.add("Training", day, Skill="Taser", Course="Initial" if i == 0 else "Requalification", Result="Pass")


def demo_register_rows(force_code: str, key: str, reports: list[Any], total_reports: int,
                       today: date) -> tuple[list[dict[str, str]], dict[str, int]]:
    """The export's rows for one demo force, and what was made deliberately wrong (pure)."""
    areas, accounts, default_n = DEMO_FORCES[force_code]
    n = max(total_reports // 20, 1) if total_reports else default_n
    horizon = today - timedelta(days=1)
    seed = zlib.crc32(force_code.encode())
    officers = {s: _Officer(s, np.random.default_rng([seed, zlib.crc32(s.encode())]))
                for s in [*(f"{force_code}-O{k}" for k in range(n)), *(f"{force_code}-N{k}" for k in range(2 * n)),
                          *accounts]}
    by_pseudonym = {officer_pseudonym(key, force_code, s): o for s, o in officers.items()}
    for row in reports:
        o = by_pseudonym.get(row.officer_pseudonym)
        if o is not None:
            o.first_use = min(o.first_use or row.incident_date, row.incident_date)
            if row.ced:
                o.uses.append((row.incident_date, row.ced_serial))
    users = sorted((o for o in officers.values() if any(s for _, s in o.uses)), key=lambda o: o.staff_id)
    exceptions = {"lapsed": 0, "special_constable": 0, "unknown_serial": 0, "wrong_hands": 0}
    lapsed = users[0] if users else None
    special = users[1] if len(users) > 1 else None
    for o in officers.values():
        area = areas[int(o.rng.integers(len(areas)))]
        team = accounts.get(o.staff_id) or (f"{area} Response {'ABCDE'[int(o.rng.integers(5))]}"
                                            if o.rng.random() < 0.75 else f"{area} Neighbourhood")
        area = team.split(" Response ")[0].split(" Neighbourhood")[0]
        role = "Response" if "Response" in team else "Neighbourhood"
        joined = (o.first_use or date(2019, 1, 1)) - timedelta(days=int(o.rng.integers(1500, 5000)))
        kind = "Officer"
        if o.first_use is None and o.staff_id not in accounts:
            draw = o.rng.random()
            kind = ("Student officer" if draw < 0.08 else "Probationer" if draw < 0.12
                    else "Special constable" if draw < 0.15 else "Officer")
            if kind in ("Student officer", "Probationer"):
                joined = date(2019 if kind == "Student officer" else 2017, 2, 1) + timedelta(
                    days=int(o.rng.integers(0, 1000)))
        if o is special:
            kind, exceptions["special_constable"] = "Special constable", 1
            role, team = "Neighbourhood", f"{area} Neighbourhood"
        rank = "Sgt" if kind == "Officer" and o.rng.random() < 0.12 else ("SC" if kind == "Special constable" else "PC")
        o.add("Posting", min(joined, horizon), Status=kind, Rank=rank, Role=role, Team=team, Area=area)
        if kind in ("Student officer", "Probationer") and joined + timedelta(days=730) <= horizon:
            o.add("Posting", joined + timedelta(days=730), Status="Officer", Rank=rank, Role=role, Team=team, Area=area)
        if o.first_use is not None:
            start = max(o.first_use - timedelta(days=int(o.rng.integers(60, 900))), joined + timedelta(days=30))
            if o is lapsed:
                use = o.uses[0][0]
                start = min(start, use - timedelta(days=800))
                days = [start, start + timedelta(days=330)]
                days += [d for d in _passes(o, use + timedelta(days=20), horizon)]
                exceptions["lapsed"] = 1
            else:
                days = _passes(o, start, horizon)
            _train(o, days)
        elif kind == "Officer" and o.rng.random() < 0.27 or o.staff_id in accounts and o.staff_id.endswith("1001"):
            start = max(joined + timedelta(days=30), date(2014, 1, 1)) + timedelta(days=int(o.rng.integers(0, 1500)))
            _train(o, _passes(o, min(start, horizon), horizon, stop=o.rng.random() < 0.15, fails=True))
        elif kind == "Student officer" and o.rng.random() < 0.3 and joined + timedelta(days=200) <= horizon:
            _train(o, _passes(o, joined + timedelta(days=200), horizon))
    for i, o in enumerate(users):
        for day, serial in o.uses:
            if not serial:
                continue
            if i == 4 and not exceptions["unknown_serial"]:
                exceptions["unknown_serial"] = 1
                continue
            holder = users[3] if i == 2 and len(users) > 3 and not exceptions["wrong_hands"] else o
            exceptions["wrong_hands"] |= holder is not o
            holder.add("Device issued", day, Serial=serial)
            holder.add("Device returned", day, Serial=serial)
    rows = []
    for o in officers.values():
        for k, row in enumerate(sorted(o.rows, key=lambda r: (r["Date"], r["Event"] != "Posting")), 1):
            rows.append({"RecordId": f"{o.staff_id}-{k}", **row})
    return rows, exceptions


def seed_demo_register(store: Store, settings: Settings, *, today: date | None = None) -> str:
    """The demo step: build and import the two demo forces' registers; returns a one-line summary."""
    today = today or date.today()
    key = settings.officer_pseudonym_key
    parts = []
    for force_code in DEMO_FORCES:
        total, reports = _reports(store, force_code)
        rows, exceptions = demo_register_rows(force_code, key, reports, total, today)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"demo-register-{force_code}.csv"
            with path.open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, HEADER, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
            report = import_register(store, force_operator(force_code), path, force_code, settings=settings,
                                     today=today)
        made = ", ".join(k.replace("_", " ") for k, v in exceptions.items() if v) or "none (no CED reports stored)"
        parts.append(f"{force_code}: {report.officers_created:,} officers, {report.events_stored:,} events, "
                     f"{len(reports):,} CED-involving reports matched; deliberate exceptions: {made}")
    return "; ".join(parts)

