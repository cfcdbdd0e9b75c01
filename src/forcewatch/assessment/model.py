"""The assessment's nouns: states, National Decision Model stages, parties, periods and rows.

An *assessment* is one version of a force's Taser strategic threat and risk assessment (STRA) for
one financial year. Its state moves draft -> assured -> approved -> published, and to superseded
when a later version is approved (threat-risk-assessment.md section 9). Everything it rests on
(input snapshots, method document, runs, judgements, community and informed records, signatures)
is stored append-only; see :mod:`forcewatch.assessment.ledger` for reading it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ..forces import try_resolve
from ..periods import financial_year, financial_year_bounds

__all__ = [
    "APPROVED",
    "ASSURED",
    "COMMUNITY_KINDS",
    "DRAFT",
    "NDM_STAGES",
    "PARTIES",
    "PUBLISHED",
    "STATES",
    "SUPERSEDED",
    "Assessment",
    "iso_moment",
    "normalise_period",
    "now",
    "period_bounds",
]

DRAFT, ASSURED, APPROVED, PUBLISHED, SUPERSEDED = "draft", "assured", "approved", "published", "superseded"
#: the sign-off states, in order
STATES = (DRAFT, ASSURED, APPROVED, PUBLISHED, SUPERSEDED)

#: National Decision Model stages (threat-risk-assessment.md section 2), key -> title
NDM_STAGES: dict[str, str] = {
    "ethics": "Code of Ethics (applies throughout)",
    "information": "Information and intelligence",
    "assessment": "Assess threat and risk; working strategy",
    "powers_policy": "Powers and policy",
    "options": "Options and contingencies",
    "action": "Action and review",
}

#: who can be informed, key -> title
PARTIES: dict[str, str] = {
    "pcc": "Police and crime commissioner",
    "scrutiny_panel": "Independent scrutiny panel",
    "community_group": "Community group",
    "other": "Other interested party",
}

#: kinds of community impact record, key -> title
COMMUNITY_KINDS: dict[str, str] = {
    "consultation": "Community engagement or consultation held",
    "mitigation": "Mitigation",
    "eia_cia": "Equality / community impact assessment outcome",
    "caveat": "Caveat on the disproportionality figures",
}



def normalise_period(text: str) -> str:
    """``2018-19``, ``2018/19`` or ``2018-2019`` -> ``2018-19`` (a financial year), else UsageError."""
    return financial_year(text, what="period")


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a financial year: 1 April to 31 March."""
    return financial_year_bounds(period, what="period")


def now() -> datetime:
    """The current moment in UTC, to the microsecond (what every row and signature records)."""
    return datetime.now(UTC)


def iso_moment(moment: datetime) -> str:
    """A moment as hashed and signed: ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC (as the audit log writes it)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Assessment:
    """One version of a force's assessment for a period (the ``assessment`` row)."""

    id: int
    force_code: str
    period: str
    version: int
    state: str
    title: str
    method_sha256: str
    created_at: datetime
    created_by: str
    supersedes_id: int | None
    superseded_by_id: int | None
    revision_reason: str | None
    updated_at: datetime
    row_version: int

    @property
    def force_name(self) -> str:
        area = try_resolve(self.force_code)
        return area.name if area else self.force_code

    @classmethod
    def from_row(cls, row: Any) -> Assessment:
        return cls(**{f: getattr(row, f) for f in cls.__dataclass_fields__})

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "force_code": self.force_code,
            "force": self.force_name,
            "period": self.period,
            "version": self.version,
            "state": self.state,
            "title": self.title,
            "method_sha256": self.method_sha256,
            "created_at": iso_moment(self.created_at),
            "created_by": self.created_by,
            "supersedes_id": self.supersedes_id,
            "superseded_by_id": self.superseded_by_id,
            "revision_reason": self.revision_reason,
            "updated_at": iso_moment(self.updated_at),
        }
