"""The run manifest (``run_manifest.json``): everything a run rests on, by hash. Its SHA-256 is signed.

    {"format": "forcewatch.run_manifest/1",
     "assessment": {"id", "force_code", "period", "version"}, "run": 3,
     "inputs": {"demand": {"sha256", "provider", "schema_version", "as_at", "rows"}, ...},
     "method": {"name", "version", "approver", "sha256"},
     "engine": {"coverage": "1.0.0", "assessment_run": "1.0.0"},
     "code": {"forcewatch": "0.1.0", "git_commit": "..." or null},
     "runtime": {"python": "3.11.9", "numpy": "...", "scipy": "..."},
     "seed": 20160101 or null, "interval": "demand_ci" or "monte_carlo",
     "judgements": [{"id", "sha256"}], "community": [...], "informed": [...],
     "outputs": {"trace", "indicators", "decision", "community_figures": sha256}}

The manifest is written as canonical JSON; the SHA-256 of that text is what each sign-off signs.
"""

from __future__ import annotations

import platform
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..method import ENGINE_VERSION, MethodConfig
from ..stats.canonical import canonical_json
from .community import CommunityRecord, InformedRecord
from .judgements import Judgement
from .model import Assessment
from .run import RUN_VERSION, RunOutputs, text_hash
from .snapshots import Snapshot

__all__ = ["MANIFEST_FORMAT", "build_manifest", "code_version", "manifest_text", "runtime"]

MANIFEST_FORMAT = "forcewatch.run_manifest/1"


@lru_cache(maxsize=1)
def _git_commit() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        found = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = found.stdout.strip()
    return commit if found.returncode == 0 and len(commit) == 40 else None


def code_version() -> dict[str, Any]:
    """The package version and, when run from a git checkout, its commit."""
    return {"forcewatch": __version__, "git_commit": _git_commit()}


def runtime() -> dict[str, str]:
    """Python, NumPy and SciPy versions (NumPy does not promise the same random stream across versions)."""
    import numpy
    import scipy

    return {"python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__}


def _rows(items: Sequence[Judgement | CommunityRecord | InformedRecord]) -> list[dict[str, Any]]:
    return [{"id": i.id, "sha256": i.sha256} for i in sorted(items, key=lambda i: i.id)]


def build_manifest(
    *,
    assessment: Assessment,
    run_no: int,
    snapshots: Sequence[Snapshot],
    method: MethodConfig,
    judgements: Sequence[Judgement],
    community: Sequence[CommunityRecord],
    informed: Sequence[InformedRecord],
    outputs: RunOutputs,
) -> dict[str, Any]:
    """The manifest of one run (see the module docstring)."""
    return {
        "format": MANIFEST_FORMAT,
        "assessment": {
            "id": assessment.id,
            "force_code": assessment.force_code,
            "period": assessment.period,
            "version": assessment.version,
        },
        "run": run_no,
        "inputs": {
            s.input_key: {
                "sha256": s.sha256,
                "provider": s.provider,
                "schema_version": s.schema_version,
                "as_at": s.as_at.isoformat() if s.as_at else None,
                "rows": s.rows,
            }
            for s in sorted(snapshots, key=lambda s: s.input_key)
        },
        "method": method.summary(),
        "engine": {"coverage": ENGINE_VERSION, "assessment_run": RUN_VERSION},
        "code": code_version(),
        "runtime": runtime(),
        "seed": method.interval.seed if method.interval.method == "monte_carlo" else None,
        "interval": method.interval.method,
        "judgements": _rows(judgements),
        "community": _rows(community),
        "informed": _rows(informed),
        "outputs": outputs.hashes(),
    }


def manifest_text(manifest: dict[str, Any]) -> tuple[str, str]:
    """The manifest's canonical JSON and its SHA-256."""
    text = canonical_json(manifest)
    return text, text_hash(text)
