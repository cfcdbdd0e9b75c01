"""A finding: one problem a check found with one use-of-force report.

The stable shape that checks produce and the recording-quality scorecard counts
(:mod:`forcewatch.monitoring.quality`): ``report_id, force_code, incident_date, rule, severity,
explanation``, and ``details`` (a dict, for people who may read the report behind it). The
register's cross-checks (:mod:`forcewatch.register_checks`) are one producer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["Finding"]


@dataclass(frozen=True)
class Finding:
    """One problem with one report: the rule it breaks (a stable key), how bad, and why in words."""

    report_id: int
    force_code: str
    incident_date: date
    rule: str
    severity: str
    explanation: str
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"report_id": self.report_id, "force_code": self.force_code, "incident_date": self.incident_date,
                "rule": self.rule, "severity": self.severity, "explanation": self.explanation, "details": self.details}
