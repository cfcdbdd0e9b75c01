"""Reading a method document: YAML with exact decimals, and field readers that name the field.

A method document is written by people, so every complaint names the field by its dotted path
(``staffing.abstraction``) and says how to fix it. Numbers with a decimal point are read as
``decimal.Decimal`` straight from the YAML text, so ``abstraction: 0.25`` is exactly one quarter
and never the binary float nearest to it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..errors import UsageError

__all__ = ["SEMVER", "Fields", "load_yaml_file", "load_yaml_text"]

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")


class _DecimalLoader(yaml.SafeLoader):  # type: ignore[misc]  # no PyYAML stubs installed
    """SafeLoader that reads YAML floats as Decimal (from the text as written)."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise UsageError(
            f"line {node.start_mark.line + 1}: {text!r} is not a finite number",
            hint="write numbers as plain decimals, e.g. 0.25",
        )
    return value


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def load_yaml_text(text: str, source: str = "method document") -> dict[str, Any]:
    """Parse YAML (floats as Decimal) and insist on a mapping at the top."""
    try:
        data = yaml.load(text, Loader=_DecimalLoader)
    except yaml.YAMLError as exc:
        raise UsageError(f"{source} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(
            f"{source} must be a YAML mapping of sections",
            hint="see profiles/method/default_stra.yaml",
        )
    return data


def load_yaml_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read method document {path}: {exc.strerror}") from None
    return load_yaml_text(text, str(path))


class Fields:
    """Typed access to one section of a document, naming ``prefix.key`` in every complaint."""

    def __init__(self, data: Any, prefix: str, allowed: Sequence[str]) -> None:
        if not isinstance(data, Mapping):
            raise UsageError(
                f"{prefix} must be a mapping (a YAML section)",
                hint=f"write '{prefix}:' then indented keys",
            )
        self.data = data
        self.prefix = prefix
        unknown = [str(k) for k in data if k not in allowed]
        if unknown:
            near = difflib.get_close_matches(unknown[0], list(allowed), n=1)
            raise UsageError(
                f"{self.path(unknown[0])} is not a known setting",
                hint=(
                    f"did you mean {self.path(near[0])}?"
                    if near
                    else "known: " + ", ".join(allowed)
                ),
            )

    def path(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str, hint: str = "") -> Any:
        if not self.has(key):
            raise UsageError(
                f"{self.path(key)} is missing",
                hint=hint or f"add {key} to the {self.prefix or 'top'} section",
            )
        return self.data[key]

    def text(self, key: str, hint: str = "", choices: Sequence[str] | None = None) -> str:
        value = self.raw(key, hint)
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{self.path(key)} must be non-empty text", hint=hint or None)
        if choices is not None and value not in choices:
            raise UsageError(
                f"{self.path(key)} = {value!r} is not allowed",
                hint="use one of: " + ", ".join(choices),
            )
        return value.strip()

    def decimal(
        self,
        key: str,
        *,
        low: Decimal | None = None,
        high: Decimal | None = None,
        low_open: bool = False,
        high_open: bool = False,
        hint: str = "",
    ) -> Decimal:
        value = self.raw(key, hint)
        if isinstance(value, (bool, float)):
            raise UsageError(
                f"{self.path(key)} = {value!r} was read as a binary float",
                hint="load method documents with load_method(), or write the number as a string",
            )
        try:
            number = Decimal(value) if isinstance(value, (int, str, Decimal)) else Decimal("NaN")
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise UsageError(f"{self.path(key)} = {value!r} is not a number", hint=hint or None)
        too_low = low is not None and (number <= low if low_open else number < low)
        too_high = high is not None and (number >= high if high_open else number > high)
        if too_low or too_high:
            lo = "" if low is None else (f"above {low}" if low_open else f"at least {low}")
            hi = "" if high is None else (f"below {high}" if high_open else f"at most {high}")
            rng = " and ".join(p for p in (lo, hi) if p)
            raise UsageError(f"{self.path(key)} = {number} must be {rng}", hint=hint or None)
        return number

    def integer(
        self, key: str, *, low: int | None = None, high: int | None = None, hint: str = ""
    ) -> int:
        value = self.raw(key, hint)
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(
                f"{self.path(key)} = {value!r} must be a whole number", hint=hint or None
            )
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = " and ".join(
                p
                for p in (
                    "" if low is None else f"at least {low}",
                    "" if high is None else f"at most {high}",
                )
                if p
            )
            raise UsageError(f"{self.path(key)} = {value} must be {bounds}", hint=hint or None)
        return value

    def text_list(self, key: str, hint: str = "") -> tuple[str, ...]:
        value = self.raw(key, hint)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v for v in value)
        ):
            raise UsageError(
                f"{self.path(key)} must be a non-empty list of names", hint=hint or None
            )
        if len(set(value)) != len(value):
            raise UsageError(f"{self.path(key)} lists a name twice")
        return tuple(value)

    def section(self, key: str, allowed: Sequence[str], hint: str = "") -> Fields:
        return Fields(self.raw(key, hint), self.path(key), allowed)
