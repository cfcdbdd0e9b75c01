"""Monitoring: the Home Office tables computed from stored reports, reconciled with the published
ones; rates, funnel plots, disproportionality, trends and the Taser recording-quality scorecard.

Every module depends on the records tables only through :func:`load_reports` (its frame's
columns are documented in :mod:`forcewatch.monitoring.loader`). docs/monitoring.md describes
every figure, rule and caveat.
"""

from .counting import COUNTING_RULES, CountingRules
from .figures import Provenance, RecordTables, compute_tables, records_facts
from .loader import FRAME_SCHEMA, ReportFrame, load_reports
from .scope import Scope
from .tables import RECORD_TABLES

__all__ = [
    "COUNTING_RULES", "CountingRules", "FRAME_SCHEMA", "Provenance", "RECORD_TABLES", "RecordTables", "ReportFrame",
    "Scope", "compute_tables", "load_reports", "records_facts",
]
