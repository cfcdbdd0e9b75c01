"""Explanations of funnel-plot outliers: judgements with an author and a time.

A point outside the funnel's limits is a prompt, not a verdict; the force's analyst records what
explains it (recording practice, case mix, deployment model ...). Recording one is
``assessment.draft`` for the force ("record judgements"); reading them is ``assessment.read``.
Each is stored once with the figure as it then stood and never edited; a later explanation of the
same point supersedes it by date. Writing is a ``record.written`` audit event in the same
transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select

from .. import audit, forces
from ..access import ALL, Principal, require, visible_forces
from ..errors import UsageError
from ..store import Store
from ..store.tables.monitoring import outlier_explanation

__all__ = ["Explanation", "record_explanation", "explanations", "MAX_LENGTH"]

MAX_LENGTH = 4000
_T = outlier_explanation.c


@dataclass(frozen=True)
class Explanation:
    """One recorded explanation of a force's point on a funnel plot."""

    id: int
    force_code: str
    year: str
    indicator: str
    source: str
    value: float | None
    outside: str
    text: str
    author: str
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "area": forces.get(self.force_code).name, "created_at": self.created_at.isoformat()}


def record_explanation(store: Store, principal: Principal, *, force: str, year: str, indicator: str, source: str,
                       value: float | None, outside: str, text: str) -> Explanation:
    """Store an explanation of ``force``'s point (``assessment.draft`` for that force)."""
    code = forces.resolve(force, "force").code
    require(principal, "assessment.draft", force_code=code)
    text = (text or "").strip()
    if not text:
        raise UsageError("an explanation needs some text", hint="say what explains the figure")
    if len(text) > MAX_LENGTH:
        raise UsageError(f"the explanation is {len(text):,} characters; at most {MAX_LENGTH:,}")
    if outside not in ("none", "95", "998") or source not in ("official", "records"):
        raise UsageError("outside must be none, 95 or 998 and source official or records")
    row: dict[str, Any] = {"force_code": code, "year": year[:30], "indicator": indicator[:80], "source": source, "value": value,
           "outside": outside, "text": text, "author": principal.username, "created_at": datetime.now(timezone.utc)}
    with store.write() as conn:
        new_id = conn.execute(insert(outlier_explanation).values(**row)).inserted_primary_key[0]  # type: ignore[index]
        audit.append(conn, audit.RecordWritten(force_code=code, subject_id=str(new_id), record_type="outlier_explanation",
                                               change="created", fields=sorted(row)), actor=principal)
    return Explanation(id=int(new_id), **row)


def explanations(store: Store, principal: Principal, *, force: str | None = None,
                 year: str | None = None) -> list[Explanation]:
    """Explanations the principal may read (``assessment.read``), newest first."""
    visible = visible_forces(principal, "assessment.read")
    query = select(outlier_explanation).order_by(_T.created_at.desc(), _T.id.desc())
    if force:
        query = query.where(_T.force_code == forces.resolve(force, "force").code)
    if year:
        query = query.where(_T.year == year)
    if visible is not ALL:
        query = query.where(_T.force_code.in_(sorted(visible)))  # type: ignore[arg-type]
    with store.read() as conn:
        rows = conn.execute(query).mappings().all()
    return [Explanation(**dict(r)) for r in rows]
