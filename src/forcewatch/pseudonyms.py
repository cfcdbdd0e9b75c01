"""Officer pseudonyms: one keyed hash per officer, the same in accounts and in records.

A force's records name an officer by a staff identifier; forcewatch never stores it. It stores
:func:`officer_pseudonym` instead: an HMAC-SHA-256 of the force code and the identifier under the
pseudonymisation key (``FORCEWATCH_PSEUDONYM_KEY``; see
:attr:`forcewatch.settings.Settings.officer_pseudonym_key`). Accounts of officers and supervisors
carry the same pseudonym, which is how ``own`` scope finds an officer's own reports. Without the
key, a pseudonym cannot be turned back into a staff identifier, nor matched across forces.
"""

from __future__ import annotations

import hashlib
import hmac

from .errors import UsageError

__all__ = ["officer_pseudonym"]


def officer_pseudonym(key: str, force_code: str, staff_id: str) -> str:
    """The pseudonym of a force's officer: HMAC-SHA-256 of ``FORCE:STAFF_ID`` under ``key`` (32 hex digits).

    The identifier is trimmed and upper-cased first, so ``ab123`` and ``AB123 `` agree.

    >>> officer_pseudonym("k" * 32, "E23000036", "ab123") == officer_pseudonym("k" * 32, "e23000036", " AB123 ")
    True
    """
    staff = staff_id.strip().upper()
    if not staff:
        raise UsageError("the staff identifier is empty")
    message = f"{force_code.strip().upper()}:{staff}".encode()
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()[:32]
