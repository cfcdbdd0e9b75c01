"""Community impact: the force's disproportionality figures with their caveats, the engagement held,
the mitigations and the EIA/CIA outcome; and the record of who was informed (PCC, scrutiny panel,
community groups), when and how.

The figures (:func:`community_figures`) are computed from the frozen inputs, so they are part of
every run and re-run by ``verify``:

- from the stored records: Taser (CED) reports per head of population by perceived ethnicity
  against white (population benchmark, Census 2011 residents; census Asian less Chinese, because
  2018-19 forms count Chinese apart), and the share of use-of-force reports involving Taser
  (the conditional ratio of the TASERD study);
- from the published statistics (Home Office table 15), Taser use per head of population, for
  comparison and when no records are held.

Each row carries the caveats every reader must see (:func:`forcewatch.stats.disparity.caveats`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..method import MethodConfig
from ..stats.canonical import sha256_of
from ..stats.disparity import caveats, disparity_rows
from .model import COMMUNITY_KINDS, PARTIES, iso_moment

__all__ = ["GROUPS", "CommunityRecord", "InformedRecord", "community_figures", "disproportionality_flags"]

#: groups compared (2017-18 and 2018-19 categories), reference first
GROUPS = ("white", "black", "asian", "chinese", "mixed", "other")


@dataclass(frozen=True)
class CommunityRecord:
    """A consultation held, a mitigation, the EIA/CIA outcome, or a caveat on the figures."""

    id: int
    assessment_id: int
    kind: str
    summary: str
    outcome: str | None
    held_on: date | None
    evidence: tuple[str, ...]
    author: str
    author_role: str
    recorded_at: datetime
    sha256: str

    @classmethod
    def from_row(cls, row: Any) -> CommunityRecord:
        return cls(
            row.id,
            row.assessment_id,
            row.kind,
            row.summary,
            row.outcome,
            row.held_on,
            tuple(json.loads(row.evidence)),
            row.author,
            row.author_role,
            row.recorded_at,
            row.sha256,
        )

    def content(self) -> dict[str, Any]:
        return {
            "assessment_id": self.assessment_id,
            "kind": self.kind,
            "summary": self.summary,
            "outcome": self.outcome,
            "held_on": self.held_on.isoformat() if self.held_on else None,
            "evidence": list(self.evidence),
            "author": self.author,
            "author_role": self.author_role,
            "recorded_at": iso_moment(self.recorded_at),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.content(),
            "kind_title": COMMUNITY_KINDS.get(self.kind, self.kind),
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class InformedRecord:
    """Who was informed (the PCC, the scrutiny panel, a community group), when and how."""

    id: int
    assessment_id: int
    party: str
    party_name: str
    informed_on: date
    how: str
    note: str
    author: str
    author_role: str
    recorded_at: datetime
    sha256: str

    @classmethod
    def from_row(cls, row: Any) -> InformedRecord:
        return cls(
            row.id,
            row.assessment_id,
            row.party,
            row.party_name,
            row.informed_on,
            row.how,
            row.note,
            row.author,
            row.author_role,
            row.recorded_at,
            row.sha256,
        )

    def content(self) -> dict[str, Any]:
        return {
            "assessment_id": self.assessment_id,
            "party": self.party,
            "party_name": self.party_name,
            "informed_on": self.informed_on.isoformat(),
            "how": self.how,
            "note": self.note,
            "author": self.author,
            "author_role": self.author_role,
            "recorded_at": iso_moment(self.recorded_at),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            **self.content(),
            "party_title": PARTIES.get(self.party, self.party),
            "sha256": self.sha256,
        }


def record_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of a record's content (canonical JSON)."""
    return sha256_of(dict(content))


def _population(contents: Mapping[str, Any]) -> dict[str, float] | None:
    pop = (contents.get("population") or {}).get("by_ethnicity")
    if not pop or not pop.get("white"):
        return None
    groups = {g: float(pop.get(g) or 0) for g in GROUPS}
    groups["asian"] = max(0.0, groups["asian"] - groups["chinese"])  # census Asian includes Chinese
    return groups


def _rows(
    year: str,
    area: str,
    groups: Mapping[str, tuple[int, float]],
    method: MethodConfig,
    benchmark: str,
    source: str,
) -> list[dict[str, Any]]:
    usable = {g: v for g, v in groups.items() if v[1] > 0}
    if method.disparity.reference_group not in usable:
        return []
    kwargs = {**method.disparity.disparity_kwargs(), "benchmark": benchmark}
    return [
        {**row.as_dict(), "source": source}
        for row in disparity_rows(
            year, area, "ced", usable, order=[g for g in GROUPS if g in usable], **kwargs
        )
    ]


def community_figures(contents: Mapping[str, Any], method: MethodConfig) -> dict[str, Any]:
    """The force's disproportionality figures (records and published), with caveats and data quality."""
    records = contents.get("records_use_of_force")
    published = contents.get("published_use_of_force")
    population = _population(contents)
    year = (records or published or {}).get("year", "")
    area = (records or published or {}).get("area_code", "")
    rows: list[dict[str, Any]] = []
    if records and population:
        by = records.get("by_ethnicity", {})
        rows += _rows(
            year,
            area,
            {g: (int(by.get(g, {}).get("ced_reports", 0)), population[g]) for g in GROUPS},
            method,
            "population",
            "records",
        )
    if records:
        by = records.get("by_ethnicity", {})
        rows += _rows(
            year,
            area,
            {
                g: (int(by.get(g, {}).get("ced_reports", 0)), float(by.get(g, {}).get("reports", 0)))
                for g in GROUPS
            },
            method,
            "use_of_force",
            "records",
        )
    if published and population:
        ced = (published.get("ethnicity_times_reported") or {}).get("ced") or {}
        if ced:
            rows += _rows(
                year,
                area,
                {g: (int(ced.get(g) or 0), population[g]) for g in GROUPS},
                method,
                "population",
                "published",
            )
    quality = {}
    if records:
        by = records.get("by_ethnicity", {})
        not_recorded = sum(by.get(g, {}).get("ced_reports", 0) for g in ("not_reported", "dont_know"))
        quality = {
            "ced_reports": records.get("ced_reports", 0),
            "ced_reports_ethnicity_not_known": not_recorded,
        }
    return {
        "rows": rows,
        "caveats": [c.as_dict() for c in caveats()],
        "quality": quality,
        "reference_group": method.disparity.reference_group,
        "small_count_threshold": method.disparity.small_count_threshold,
    }


def disproportionality_flags(
    figures: Mapping[str, Any], explained: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Groups whose whole interval lies above 1 (on any benchmark), and whether the log explains them.

    An explanation is a judgement of kind ``explanation`` on ``indicator.disproportionality.<group>``.
    """
    flags = []
    for row in figures.get("rows", []):
        if row.get("ci_low") is not None and row["ci_low"] > 1:
            field = f"indicator.disproportionality.{row['group']}"
            flags.append(
                {
                    "group": row["group"],
                    "benchmark": row["benchmark"],
                    "source": row["source"],
                    "rate_ratio": row["rate_ratio"],
                    "ci_low": row["ci_low"],
                    "ci_high": row["ci_high"],
                    "explained": field in explained,
                    "explanation_field": field,
                }
            )
    return flags
