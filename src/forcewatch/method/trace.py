"""The calculation trace: every step of a run, in order, with its inputs, formula and outputs.

A trace is what makes a number auditable. It holds the method document (normalised), the inputs,
and an ordered list of named steps; it is written as canonical JSON (see
:mod:`forcewatch.stats.canonical`), so an assessment can store its SHA-256 and a reviewer can
re-run the calculation from the trace alone and compare the bytes (:func:`forcewatch.method.coverage.verify_trace`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from ..stats.canonical import canonical_json, sha256_of, to_jsonable

__all__ = ["TRACE_FORMAT", "Trace", "TraceBuilder", "TraceStep", "parse_trace"]

TRACE_FORMAT = "forcewatch.calculation_trace/1"


@dataclass(frozen=True)
class TraceStep:
    """One named step: what went in, the formula in words and symbols, what came out."""

    name: str
    formula: str
    inputs: Mapping[str, Any]
    outputs: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "formula": self.formula,
            "inputs": to_jsonable(self.inputs),
            "outputs": to_jsonable(self.outputs),
        }


@dataclass(frozen=True)
class Trace:
    """A whole calculation trace. ``canonical_json()`` is the text that is hashed and compared."""

    engine: str
    engine_version: str
    method: Mapping[str, Any]
    config: Mapping[str, Any]
    inputs: Mapping[str, Any]
    steps: tuple[TraceStep, ...]
    format: str = TRACE_FORMAT

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "engine": self.engine,
            "engine_version": self.engine_version,
            "method": to_jsonable(self.method),
            "config": to_jsonable(self.config),
            "inputs": to_jsonable(self.inputs),
            "steps": [s.as_dict() for s in self.steps],
        }

    def canonical_json(self) -> str:
        return canonical_json(self.as_dict())

    @property
    def sha256(self) -> str:
        return sha256_of(self.as_dict())

    def step(self, name: str) -> TraceStep:
        """The step called ``name``."""
        for s in self.steps:
            if s.name == name:
                return s
        raise UsageError(f"the trace has no step {name!r}")


@dataclass
class TraceBuilder:
    """Collects steps in order while an engine runs; step names must be unique."""

    steps: list[TraceStep] = field(default_factory=list)
    _names: set[str] = field(default_factory=set)

    def add(
        self, name: str, formula: str, inputs: Mapping[str, Any], outputs: Mapping[str, Any]
    ) -> None:
        if name in self._names:
            raise AssertionError(f"trace step {name!r} recorded twice")
        self._names.add(name)
        self.steps.append(TraceStep(name, formula, dict(inputs), dict(outputs)))

    def build(
        self,
        engine: str,
        engine_version: str,
        method: Mapping[str, Any],
        config: Mapping[str, Any],
        inputs: Mapping[str, Any],
    ) -> Trace:
        return Trace(engine, engine_version, method, config, inputs, tuple(self.steps))


def parse_trace(text_or_data: str | bytes | Mapping[str, Any]) -> dict[str, Any]:
    """Read a trace written by :meth:`Trace.canonical_json` (or already parsed) and check its format."""
    if isinstance(text_or_data, (str, bytes)):
        try:
            data = json.loads(text_or_data)
        except json.JSONDecodeError as exc:
            raise UsageError(f"the trace is not JSON: {exc}") from None
    else:
        data = dict(text_or_data)
    if not isinstance(data, dict) or data.get("format") != TRACE_FORMAT:
        raise UsageError(
            "this is not a forcewatch calculation trace", hint=f"expected format {TRACE_FORMAT!r}"
        )
    for key in ("engine", "engine_version", "config", "inputs", "steps"):
        if key not in data:
            raise UsageError(f"the trace has no {key!r}")
    return data
