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
"""

__version__ = "0.1.0"

from .errors import (  # noqa: E402
    Conflict,
    ForcewatchError,
    InputRefused,
    NotFound,
    PermissionDenied,
    Problem,
    SettingsError,
    UnknownName,
    UsageError,
    VerificationFailed,
)
from .forces import Area, resolve  # noqa: E402
from .settings import Settings  # noqa: E402
from .store import Store, open_store  # noqa: E402
from .vocab import CedHierarchy, ced_hierarchy  # noqa: E402

__all__ = [
    "__version__",
    "Area",
    "CedHierarchy",
    "Conflict",
    "ForcewatchError",
    "InputRefused",
    "NotFound",
    "PermissionDenied",
    "Problem",
    "Settings",
    "SettingsError",
    "Store",
    "UnknownName",
    "UsageError",
    "VerificationFailed",
    "ced_hierarchy",
    "open_store",
    "resolve",
]
