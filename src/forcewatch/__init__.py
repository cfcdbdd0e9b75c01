"""forcewatch: record, monitor and assess police use of force and Taser in England and Wales.

The public Python API (what is documented here is what a user may import):

- :mod:`forcewatch.forces`: ``resolve``, ``get``, ``forces``, ``regions``, ``Area``
- :mod:`forcewatch.vocab`: tactic and category vocabularies, ``ced_hierarchy`` profiles
- :class:`forcewatch.store.Store`: the database (SQLite or PostgreSQL)
- :mod:`forcewatch.official`: ``facts``, ``Fact``, ``import_files``, ``import_file``, ``bundled_files``
  (published statistics, see ``docs/official-statistics.md``)
- :mod:`forcewatch.charts`: ``bar_chart``, ``line_chart``, ``render_svg`` (accessible SVG charts)
- :class:`forcewatch.settings.Settings`
- the exception tree in :mod:`forcewatch.errors`
- :mod:`forcewatch.stats`: pure statistics (exact Poisson intervals, Erlang B/C, exact headcount,
  funnel plots, disparity ratios and caveats, trends, change points, MoRiLE-style scores)
- :mod:`forcewatch.method`: the STRA method document (``load_method``) and the demand-coverage
  engine (``run_coverage``, ``verify_trace``); see docs/methods.md
- :func:`forcewatch.recording.import_records` and its ``ImportReport`` (``forcewatch import records``)
- :func:`forcewatch.record.normalise_report`: the national form's rules for one report (the web form)
- :mod:`forcewatch.reports`: ``create_report``, ``list_reports``, ``get_report``, ``review_report``
  (reports one at a time, for a principal, audited); :mod:`forcewatch.recording_form`: the web
  form's questions and ``answers_from_post``
- :mod:`forcewatch.simulate` (``simulate_frame``, ``write_simulation``, ``simulate_year``,
  ``AssignedOfficer``) and :mod:`forcewatch.simulation_targets` (``SimulationTargets``,
  ``targets_from_facts``)
- :mod:`forcewatch.masks` (bit positions) and :mod:`forcewatch.ced` (``highest_by_mask``) for counting
- security (see ``docs/security.md``): :mod:`forcewatch.access` (``Principal``, ``require``,
  ``visible_forces``, ``POLICY``), :mod:`forcewatch.accounts`, :mod:`forcewatch.audit`
  (``append``, ``verify``, ``head``, ``events``, ``AuditEvent``, ``register``),
  :mod:`forcewatch.sessions`, :mod:`forcewatch.api_tokens`, :mod:`forcewatch.pseudonyms`
- :mod:`forcewatch.review`: the officer safety review's areas, ``classify``, ``redact``, ``model_card``
"""

__version__ = "0.1.0"

from .errors import (  # noqa: E402
    Conflict,
    CsrfRefused,
    ForcewatchError,
    InputRefused,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    Problem,
    SettingsError,
    TooManyAttempts,
    UnknownName,
    UsageError,
    VerificationFailed,
)
from .forces import Area, resolve  # noqa: E402
from .settings import Settings  # noqa: E402
from .store import Store, open_store  # noqa: E402
from .vocab import CedHierarchy, ced_hierarchy  # noqa: E402
from .record import NormalisedReport, normalise_report  # noqa: E402
from .recording import ImportReport, import_records  # noqa: E402

__all__ = [
    "__version__",
    "Area",
    "CedHierarchy",
    "Conflict",
    "CsrfRefused",
    "ForcewatchError",
    "ImportReport",
    "NormalisedReport",
    "InputRefused",
    "NotAuthenticated",
    "NotFound",
    "PermissionDenied",
    "Problem",
    "Settings",
    "SettingsError",
    "Store",
    "TooManyAttempts",
    "UnknownName",
    "UsageError",
    "VerificationFailed",
    "ced_hierarchy",
    "import_records",
    "normalise_report",
    "open_store",
    "resolve",
]
