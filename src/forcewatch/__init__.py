"""forcewatch: record, monitor and assess police use of force and Taser in England and Wales.

The public Python API (what is documented here is what a user may import):

- :mod:`forcewatch.forces`: ``resolve``, ``get``, ``forces``, ``regions``, ``Area``
- :mod:`forcewatch.vocab`: tactic and category vocabularies, ``ced_hierarchy`` profiles
- :class:`forcewatch.store.Store`: the database (SQLite or PostgreSQL)
- :mod:`forcewatch.official`: ``facts``, ``Fact``, ``import_files``, ``import_file``, ``bundled_files``
  (published statistics, see ``docs/official-statistics.md``)
- :mod:`forcewatch.charts`: ``bar_chart``, ``line_chart``, ``funnel_plot``, ``change_point_chart``,
  ``render_svg`` (accessible SVG charts)
- :mod:`forcewatch.monitoring`: ``load_reports`` (the one reader of records), ``compute_tables``,
  ``records_facts``, and its modules ``reconcile``, ``rates``, ``disparity``, ``trends``, ``quality``
  (``register`` rules), ``explanations`` (see ``docs/monitoring.md``)
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
- :mod:`forcewatch.review`: the officer safety review's areas, ``classify``, ``redact``, ``model_card``;
  :mod:`forcewatch.review.store` (stored submissions) and :mod:`forcewatch.review.report` (``area_report``)
- assaults on officers (see ``docs/assaults-and-review.md``): :mod:`forcewatch.assaults`
  (``record_assault``, ``get_assault``, ``list_assaults``, ``record_welfare``),
  :mod:`forcewatch.assault_import` (``import_assaults``, ``import_outcomes``), :mod:`forcewatch.outcomes`
  (``append_outcome``, ``derived_status``), :mod:`forcewatch.attrition` (``attrition_funnel``),
  :mod:`forcewatch.time_limits` (``time_limit_alerts``), :mod:`forcewatch.assault_reference`,
  :mod:`forcewatch.assault_snapshot` (the assessment's ``assaults`` input),
  :mod:`forcewatch.learning` (``write_learning``, ``shared_learning`` ...), :mod:`forcewatch.sharing`
- the Taser-trained officer register (see ``docs/register.md``): :mod:`forcewatch.register`
  (``count_on``, ``series``, ``current_headcount``, ``list_officers``, ``officer_history``),
  :mod:`forcewatch.eligibility` (``read_policy``, ``load_policy``, ``check_deployment``,
  ``check_history``), :func:`forcewatch.register_import.import_register`,
  :mod:`forcewatch.register_edits` (``add_event``, ``correct_event``, ``retract_event``),
  :mod:`forcewatch.register_checks` (``check_reports``, ``RULES``, ``Finding``),
  :mod:`forcewatch.register_coverage` (``coverage_for_force``, ``coverage_from``, ``DEMAND_EVENT``),
  :mod:`forcewatch.register_snapshot` (the assessment's ``current_headcount`` input,
  ``place_by_demand_area``) and :mod:`forcewatch.register_quality` (the cross-checks as scorecard rules)
- :mod:`forcewatch.assessment`: the auditable Taser threat and risk assessment (``create_assessment``,
  ``record_judgement``, ``record_community``, ``record_informed``, ``assure``, ``approve``, ``publish``,
  ``verify_assessment``, ``diff_assessments``, ``public_summary``, ``restricted_pack``, ``write_pack``,
  ``register_provider`` and ``SnapshotData`` for new inputs); see ``docs/assessment.md``
- :mod:`forcewatch.periods`: financial years (``financial_year``, ``financial_year_bounds``,
  ``financial_year_of``), ``add_months``, and dates typed by people (``read_date``)
- :mod:`forcewatch.findings`: ``Finding``, one problem a check found with one report
- :mod:`forcewatch.suppression`: small-number suppression (primary and secondary), the one rule of every
  public output (``SuppressionRule``, ``rule_from_settings``, ``suppressed_cells``, ``nested_groups``)
- the public transparency site (see ``docs/web.md``): :mod:`forcewatch.publications` (``list_publications``,
  ``get_publication``, ``publish_statement``, ``verify_publication``, ``media_contacts``),
  :mod:`forcewatch.publication_figures` (``publish_quarterly``, ``publish_assessment_summary``);
  :mod:`forcewatch.dashboard` (``force_dashboard``); :func:`forcewatch.national.force_series`;
  :func:`forcewatch.periods.quarter_bounds`
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
