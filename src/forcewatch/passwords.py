"""Passwords: the policy a new password must meet, and argon2id hashing.

Policy (:func:`check_policy`): at least 12 characters (at most 1,024), not the user name and not
containing it, at least 5 different characters, some letters, and not a common password, or a common password
followed by digits and punctuation (``Password123!``), ignoring case. The list of common passwords
is bundled (``data/security/common-passwords.txt``) so the check works offline.

Hashing uses argon2-cffi's :class:`~argon2.PasswordHasher` (argon2id, its recommended
parameters). :func:`needs_rehash` says when a stored hash was made with other parameters, so a
log-in can upgrade it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import InputRefused, Problem

__all__ = ["MIN_LENGTH", "MAX_LENGTH", "HASHER", "check_policy", "hash_password", "verify_password",
           "needs_rehash", "dummy_verify", "common_passwords"]

MIN_LENGTH = 12
MAX_LENGTH = 1024
_COMMON = Path(__file__).parent / "data" / "security" / "common-passwords.txt"
_TRAILING = re.compile(r"[\d\W_]+$")

#: The hasher every function here uses. Tests may swap in cheaper parameters; a log-in then
#: rehashes any password whose stored parameters differ.
HASHER: PasswordHasher = PasswordHasher()


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The bundled common passwords and base words, lower case."""
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _problems(password: str, username: str | None) -> list[str]:
    found: list[str] = []
    if len(password) < MIN_LENGTH:
        found.append(f"is {len(password)} characters long; use at least {MIN_LENGTH}")
    if len(password) > MAX_LENGTH:
        found.append(f"is longer than {MAX_LENGTH:,} characters")
    lowered = password.lower()
    if username and username.strip() and username.strip().lower() in lowered:
        found.append("contains the user name")
    if len(set(password)) < 5:
        found.append("has fewer than 5 different characters")
    common = common_passwords()
    base = _TRAILING.sub("", lowered)
    if not base:
        found.append("has only digits and symbols; add words")
    elif lowered in common or base in common:
        found.append("is a common password (or one with digits or symbols added); "
                     "choose a passphrase of several unrelated words")
    return found


def check_policy(password: str, *, username: str | None = None) -> None:
    """Raise :class:`InputRefused` listing every rule ``password`` breaks; return if it meets them all."""
    problems = _problems(password, username)
    if problems:
        raise InputRefused(
            "the password was refused",
            [Problem(f"the password {p}", column="password") for p in problems],
            hint=f"use at least {MIN_LENGTH} characters, for example three or four unrelated words",
        )


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (with its own random salt and the parameters used)."""
    return HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; a malformed hash, or an over-long password, never matches."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether ``stored_hash`` was made with parameters other than :data:`HASHER`'s."""
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


_dummy: dict[tuple[int, int, int], str] = {}


def dummy_verify(password: str) -> None:
    """Spend about as long as a real verification, for user names that do not exist."""
    key = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism)
    if key not in _dummy:
        _dummy[key] = HASHER.hash("forcewatch dummy password for unknown users")
    verify_password(_dummy[key], password)
