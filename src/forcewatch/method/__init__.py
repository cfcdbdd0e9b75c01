"""The STRA method engine: the versioned method document and the demand-coverage model.

- :func:`load_method` / :class:`MethodConfig`: the method document (YAML in, canonical JSON and
  SHA-256 out), validated with errors that name the field and the fix;
- :func:`run_coverage`: demand counts per (area, hour block) to a recommended trained headcount
  "L to U, central C", the decision ("increase", "no increase", "not decided") and a
  calculation trace;
- :func:`rerun_from_trace` and :func:`verify_trace`: re-run a stored trace and check every byte.

Pure and deterministic: no database, no clock, no network. docs/methods.md explains each step.
"""

from .config import CORE_INDICATORS, MethodConfig, MethodInfo, load_method, method_profiles
from .coverage import ENGINE_VERSION, TOTAL, run_coverage
from .decision import INCREASE, NO_INCREASE, NOT_DECIDED, Bounds, Decision, decide, force_decision
from .inputs import BlockDemand, CoverageInputs
from .results import AreaRequirement, BlockCoverage, CoverageResult, headcount_comparison
from .trace import TRACE_FORMAT, Trace, TraceStep, parse_trace
from .verify import rerun_from_trace, verify_trace

__all__ = [
    "CORE_INDICATORS",
    "ENGINE_VERSION",
    "INCREASE",
    "NOT_DECIDED",
    "NO_INCREASE",
    "TOTAL",
    "TRACE_FORMAT",
    "AreaRequirement",
    "BlockCoverage",
    "BlockDemand",
    "Bounds",
    "CoverageInputs",
    "CoverageResult",
    "Decision",
    "MethodConfig",
    "MethodInfo",
    "Trace",
    "TraceStep",
    "decide",
    "force_decision",
    "headcount_comparison",
    "load_method",
    "method_profiles",
    "parse_trace",
    "rerun_from_trace",
    "run_coverage",
    "verify_trace",
]
