"""Where two JSON documents differ, by dotted path: what ``diff`` lists and ``verify`` names.

>>> differences({"staffing": {"abstraction": "0.25", "teams": "5"}}, {"staffing": {"abstraction": "0.3", "teams": "5"}})
[{'path': 'staffing.abstraction', 'old': '0.25', 'new': '0.3'}]
"""

from __future__ import annotations

from typing import Any

__all__ = ["differences", "first_difference"]

_MISSING = "(absent)"


def _walk(old: Any, new: Any, path: str, out: list[dict[str, Any]], limit: int) -> None:
    if len(out) >= limit or old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            where = f"{path}.{key}" if path else str(key)
            _walk(old.get(key, _MISSING), new.get(key, _MISSING), where, out, limit)
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            _walk(a, b, f"{path}[{i}]", out, limit)
        return
    out.append({"path": path or "(whole document)", "old": old, "new": new})


def differences(old: Any, new: Any, *, limit: int = 200) -> list[dict[str, Any]]:
    """Every leaf that differs (at most ``limit``), each ``{"path", "old", "new"}``; absent values are
    shown as ``"(absent)"``; lists of different lengths are compared whole."""
    out: list[dict[str, Any]] = []
    _walk(old, new, "", out, limit)
    return out


def first_difference(old: Any, new: Any) -> dict[str, Any] | None:
    """The first differing leaf, or ``None`` when the documents are equal."""
    found = differences(old, new, limit=1)
    return found[0] if found else None
