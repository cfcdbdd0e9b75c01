"""An officer's use-of-force report on the national form: the model the importer and the web form share.

A report is one officer x one person (the Home Office counting unit). Its fields, their headers and
kinds are in :mod:`forcewatch.form`; the rule that reads each value is in
:mod:`forcewatch.form_values`; the cross-field rules (CED use and class, injuries, quality flags)
are in :mod:`forcewatch.normalise`. This module is the entry point for one report at a time:
:func:`normalise_report` runs exactly the importer's rules on one form's answers, so the web form
(:mod:`forcewatch.reports`) validates exactly as an import does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import polars as pl

from .errors import Problem
from .form import FIELDS_BY_NAME, field_for_header
from .masks import QUALITY_FLAGS, keys_of
from .normalise import normalise_frame
from .problems import ProblemLog
from .record_keys import add_keys

__all__ = ["NormalisedReport", "normalise_report"]


@dataclass(frozen=True)
class NormalisedReport:
    """One report in the stored shape (before ids): the report row, its tactic uses and CED blocks."""

    report: dict[str, Any]
    tactics: list[dict[str, Any]] = field(default_factory=list)
    devices: list[dict[str, Any]] = field(default_factory=list)

    @property
    def quality_flags(self) -> list[str]:
        """The names of the quality flags set on this report."""
        mask = self.report.get("quality_flags") or 0
        return [name for i, name in enumerate(QUALITY_FLAGS) if mask >> i & 1]

    def keys(self, dimension: str) -> list[str]:
        """The ticked categories of a multi-select dimension (``location``, ``reason`` ...)."""
        return keys_of(dimension, self.report.get(f"{dimension}_mask"))


def normalise_report(fields: Mapping[str, str | None], *, source: str | None = None,
                     force_code: str | None = None) -> tuple[NormalisedReport, list[Problem]]:
    """Normalise one report's answers, keyed by field name (``subject_age``) or header (``SubjectAge``).

    Returns the normalised report and every problem found (row numbers are omitted: a form has
    one). A key that is neither a field nor a header is reported as a warning and ignored. With
    ``force_code``, the report also gets the importer's keys (:func:`forcewatch.record_keys.add_keys`:
    ``content_hash``, ``natural_key``, the incident and person references); an ``OfficerId`` is
    then refused, since no pseudonymisation key is given here.
    """
    log = ProblemLog(source)
    values: dict[str, str | None] = {}
    for key, value in fields.items():
        f = FIELDS_BY_NAME.get(key) or field_for_header(key)
        if f is None:
            log.add("warning", f"unknown field {key!r} ignored")
            continue
        log.headers[f.name] = key
        values[f.name] = None if value is None else str(value)
    frame = pl.DataFrame({k: [v] for k, v in values.items()}, schema={k: pl.String for k in values})
    frame = frame.with_columns(pl.lit(None, pl.Int64).alias("_row"))
    forms = normalise_frame(frame, log=log)
    reports = forms.reports
    if force_code is not None and not log.errors:
        reports = add_keys(reports.with_columns(pl.lit(force_code).alias("force_code")), forms.tactics, forms.devices,
                           pseudonym_key=None)
    report = {k: v for k, v in reports.row(0, named=True).items() if not k.startswith("_")}
    tactics = [{k: v for k, v in r.items() if k != "_idx"} for r in forms.tactics.to_dicts()]
    devices = [{k: v for k, v in r.items() if k != "_idx"} for r in forms.devices.to_dicts()]
    return NormalisedReport(report, tactics, devices), list(log.problems)
