"""Helpers for HTML forms: reading answers, showing each problem next to its field, role-aware links.

Forms post their fields under the library's field names (``offence_date``), so a
:class:`~forcewatch.errors.Problem`'s ``column`` (the key as given, or the CSV header when the rule
names another field) maps straight back to the input it concerns.
"""

from __future__ import annotations

from typing import Any, Iterable

from jinja2 import pass_context
from starlette.datastructures import FormData

from .. import assault_reference as ref
from ..access import PUBLIC, can
from ..assault_fields import HEADERS
from ..errors import ForcewatchError, InputRefused
from ..outcome_fields import EVENT_FIELDS

__all__ = ["answers", "field_errors", "may", "label", "figure"]

_HEADER_TO_FIELD = {**{h: f.name for h, f in HEADERS.items()}, **{h: n for n, (h, _) in EVENT_FIELDS.items()}}


def answers(form: FormData, lists: Iterable[str] = ()) -> dict[str, str]:
    """The form's answers as text; fields in ``lists`` (checkbox groups) joined with ``;``."""
    multi = set(lists)
    values: dict[str, str] = {}
    for key in form:
        if key == "csrf_token":
            continue
        items = [str(v) for v in form.getlist(key) if isinstance(v, str)]
        values[key] = "; ".join(i for i in items if i.strip()) if key in multi else (items[-1] if items else "")
    return values


def field_errors(exc: ForcewatchError) -> tuple[dict[str, list[str]], list[str]]:
    """``({field: [messages]}, [messages for no field])`` from a refused form."""
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    problems = exc.problems if isinstance(exc, InputRefused) and exc.problems else []
    for p in problems:
        text = p.message + (f" (expected {p.expected})" if p.expected and p.expected not in p.message else "")
        name = _HEADER_TO_FIELD.get(p.column or "", p.column)
        if name:
            by_field.setdefault(name, []).append(text)
        else:
            general.append(text)
    if not problems:
        general.append(exc.message + (f" ({exc.hint})" if exc.hint else ""))
    return by_field, general


@pass_context
def may(context: Any, action: str) -> bool:
    """``{{ may("assault.read") }}``: whether the page's user has the action at all (for links and forms)."""
    request = context.get("request")
    principal = getattr(request.state, "principal", PUBLIC) if request is not None else PUBLIC
    return can(principal, action)


def figure(value: Any, decimals: int = 0) -> str:
    """``{{ value|figure(1) }}``: a number with thousands separators and ``decimals`` places; "–" if missing."""
    if value is None:
        return "–"
    return f"{value:,.{decimals}f}"


def label(key: Any, vocabulary: str) -> str:
    """``{{ key|label("duty_roles") }}``: a vocabulary key's label (lists joined with commas); the key if unknown."""
    if key is None or key == "":
        return ""
    if isinstance(key, (list, tuple)):
        return ", ".join(label(k, vocabulary) for k in key)
    found = ref.lookup(vocabulary, str(key))
    return found.label if found else str(key)
