"""Every table forcewatch stores, in one SQLAlchemy ``MetaData``.

One module per domain noun defines its tables against :data:`metadata`; importing this package
imports them all, so Alembic and the tests see the whole schema. Migrations (``../migrations``)
are the source of truth for the database itself; a test checks the two agree.
"""

from .base import metadata
from . import official, reference  # noqa: F401  (registers tables)
from . import records  # noqa: F401  (registers tables)
from . import security  # noqa: F401  (registers tables)
from . import assaults  # noqa: F401  (registers tables)
from . import review  # noqa: F401  (registers tables)
from . import register  # noqa: F401  (registers tables)
from . import monitoring  # noqa: F401  (registers tables)
from . import assessment  # noqa: F401  (registers tables)
from . import publications  # noqa: F401  (registers tables)

__all__ = ["metadata"]
