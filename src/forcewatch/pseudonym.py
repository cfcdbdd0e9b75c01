"""Officers' identities, pseudonymised: forcewatch never stores an officer's own identifier.

A pseudonym is HMAC-SHA256 over (force code, officer identifier) with the key from
``FORCEWATCH_PSEUDONYM_KEY`` (:attr:`forcewatch.settings.Settings.officer_pseudonym_key`). The same
key gives the same officer the same pseudonym in every import, so one officer's reports can be
linked; without the key nobody can go back from a pseudonym to the identifier, nor test a guess.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["officer_pseudonym"]


def officer_pseudonym(key: bytes, force_code: str, officer_id: str) -> str:
    """The 64-hex-digit pseudonym of ``officer_id`` in ``force_code``."""
    message = f"{force_code}\x1f{officer_id.strip()}".encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()
