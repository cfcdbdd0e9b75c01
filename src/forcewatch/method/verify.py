"""Re-running a stored calculation trace and checking it byte for byte.

A reviewer holds a trace (canonical JSON). :func:`rerun_from_trace` rebuilds the method document and
the inputs from the trace alone and runs the engine again; :func:`verify_trace` checks the re-run
is identical, step by step, and names the first step that is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import UsageError, VerificationFailed
from ..stats.canonical import canonical_json
from .config import MethodConfig
from .coverage import ENGINE, ENGINE_VERSION, run_coverage
from .inputs import CoverageInputs
from .results import CoverageResult
from .trace import parse_trace

__all__ = ["rerun_from_trace", "verify_trace"]


def rerun_from_trace(trace: str | bytes | Mapping[str, Any]) -> CoverageResult:
    """Re-run the calculation from a stored trace's own method document and inputs."""
    data = parse_trace(trace)
    if data["engine"] != ENGINE:
        raise UsageError(f"this trace was made by the {data['engine']!r} engine, not {ENGINE!r}")
    return run_coverage(
        MethodConfig.from_mapping(data["config"]), CoverageInputs.from_dict(data["inputs"])
    )


def verify_trace(trace: str | bytes | Mapping[str, Any]) -> str:
    """Re-run a trace and check it is byte-identical; returns its SHA-256, or raises naming the first difference."""
    data = parse_trace(trace)
    if data["engine_version"] != ENGINE_VERSION:
        raise VerificationFailed(
            f"trace made by coverage engine {data['engine_version']}, this is {ENGINE_VERSION}",
            hint="re-run with the forcewatch version recorded in the run manifest",
        )
    again = rerun_from_trace(data).trace
    fresh = again.as_dict()
    stored = data
    for key in ("method", "config", "inputs"):
        if canonical_json(stored[key]) != canonical_json(fresh[key]):
            raise VerificationFailed(f"the trace's {key} does not re-read to the same bytes")
    for i, (old, new) in enumerate(zip(stored["steps"], fresh["steps"])):
        if canonical_json(old) != canonical_json(new):
            raise VerificationFailed(f"step {i + 1} ({new['name']}) differs on re-run")
    if len(stored["steps"]) != len(fresh["steps"]):
        raise VerificationFailed(
            f"the trace has {len(stored['steps'])} steps; the re-run has {len(fresh['steps'])}"
        )
    if canonical_json(stored) != again.canonical_json():
        raise VerificationFailed(
            "the trace's header differs on re-run", hint="format, engine or method summary changed"
        )
    if isinstance(trace, (str, bytes)):
        text = trace.decode("utf-8") if isinstance(trace, bytes) else trace
        if text != again.canonical_json():
            raise VerificationFailed(
                "the stored trace text is not the canonical JSON of its content",
                hint="it was re-formatted or edited after it was written",
            )
    return again.sha256
