"""forcewatch: record, monitor and assess police use of force and Taser in England and Wales.

The public Python API (what is documented here is what a user may import):

- :mod:`forcewatch.forces`: ``resolve``, ``get``, ``forces``, ``regions``, ``Area``
- :mod:`forcewatch.vocab`: tactic and category vocabularies, ``ced_hierarchy`` profiles
- :class:`forcewatch.store.Store`: the database (SQLite or PostgreSQL)
- :class:`forcewatch.settings.Settings`
- the exception tree in :mod:`forcewatch.errors`
- :mod:`forcewatch.review`: the officer safety review's areas, ``classify``, ``redact``, ``model_card``
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
