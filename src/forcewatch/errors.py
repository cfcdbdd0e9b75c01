"""One small exception tree for forcewatch.

Every error forcewatch raises on purpose is a :class:`ForcewatchError`. Each subclass also
derives from the standard-library exception a Python caller would expect (``ValueError``,
``LookupError``, ``PermissionError``), so ``except ValueError`` keeps working.

The command line maps these to exit codes in one place (``forcewatch.cli``) and the web app maps
them to HTTP statuses and one JSON error shape in one place (``forcewatch.web.errors``). Business
code never raises HTTP or CLI exceptions itself.

Problems found *in users' data* (a bad cell in an import) are not exceptions: importers return a
report of problems, and raise :class:`InputRefused` carrying that report only when the whole input
is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

__all__ = [
    "ForcewatchError",
    "UsageError",
    "SettingsError",
    "InputRefused",
    "NotFound",
    "UnknownName",
    "PermissionDenied",
    "NotAuthenticated",
    "TooManyAttempts",
    "CsrfRefused",
    "Conflict",
    "VerificationFailed",
    "Problem",
]


@dataclass(frozen=True)
class Problem:
    """One problem found in a user's input: where it is, what was there, what was expected."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    expected: str | None = None
    severity: str = "error"  # "error" refuses the input; "warning" and "repair" do not

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row:,}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.value is not None and repr(self.value) not in text:
            text += f" (value {self.value!r})"
        if self.expected and self.expected not in text:
            text += f"; expected {self.expected}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "expected": self.expected,
            "message": self.message,
        }


class ForcewatchError(Exception):
    """Root of every error forcewatch raises on purpose."""

    #: exit code of the command line: 1 input or data refused, 2 wrong usage
    exit_code: int = 1
    #: HTTP status the web app answers with
    http_status: int = 400
    #: stable machine-readable code used in the JSON error shape
    code: str = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def details(self) -> dict[str, Any]:
        """Extra machine-readable details for the JSON error shape."""
        return {}


class UsageError(ForcewatchError, ValueError):
    """The caller asked for something that cannot be done as asked (wrong option, bad period)."""

    exit_code = 2
    http_status = 400
    code = "usage"


class SettingsError(UsageError):
    """A setting is missing or unsafe (for example a default secret key outside demo mode)."""

    code = "settings"


class InputRefused(ForcewatchError, ValueError):
    """An input (file, form) was refused as a whole; nothing was stored.

    ``problems`` lists every problem found, each naming its file, row, column and value.
    """

    exit_code = 1
    http_status = 422
    code = "input_refused"

    def __init__(
        self, message: str, problems: Sequence[Problem] = (), *, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.problems = list(problems)

    def details(self) -> dict[str, Any]:
        return {"problems": [p.as_dict() for p in self.problems]}


class NotFound(ForcewatchError, LookupError):
    """A named thing (assessment, report, publication) does not exist or is not visible."""

    exit_code = 1
    http_status = 404
    code = "not_found"


class UnknownName(NotFound):
    """A name (force, tactic, category) that forcewatch does not know, with the nearest known names."""

    exit_code = 2
    http_status = 400
    code = "unknown_name"

    def __init__(self, kind: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = list(suggestions)
        hint = ("did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?") if suggestions else None
        super().__init__(f"unknown {kind} {name!r}", hint=hint)

    def details(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "suggestions": self.suggestions}


class PermissionDenied(ForcewatchError, PermissionError):
    """The user's role or force does not allow this read or write."""

    exit_code = 1
    http_status = 403
    code = "forbidden"


class NotAuthenticated(PermissionDenied):
    """Nobody is logged in (or the user name, password or API token is wrong).

    The web app answers JSON clients with 401 and sends people to the log-in page.
    """

    http_status = 401
    code = "unauthenticated"


class TooManyAttempts(PermissionDenied):
    """Log-ins are refused for a while after too many failures (HTTP 429 with ``Retry-After``)."""

    http_status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        #: seconds until an attempt will be considered again
        self.retry_after = max(1, int(retry_after))

    def details(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after}


class CsrfRefused(PermissionDenied):
    """An unsafe request (POST, PUT, PATCH, DELETE) came without a valid CSRF token."""

    code = "csrf"


class Conflict(ForcewatchError, ValueError):
    """Someone else changed the thing first (optimistic locking), or a workflow step is out of order."""

    exit_code = 1
    http_status = 409
    code = "conflict"


class VerificationFailed(ForcewatchError, ValueError):
    """A hash, signature or audit-chain link does not check out."""

    exit_code = 1
    http_status = 409
    code = "verification_failed"
