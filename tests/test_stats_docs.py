"""docs/methods.md is the method statement: it must cover the code and the figures it quotes."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from forcewatch import method, stats
from forcewatch.stats.trend import pelt

METHODS = (Path(__file__).resolve().parents[1] / "docs" / "methods.md").read_text(encoding="utf-8")


def test_every_public_function_is_named_in_the_method_statement() -> None:
    names = [
        n
        for mod in (stats, method)
        for n in mod.__all__
        if n[0].islower() and callable(getattr(mod, n))
    ]
    missing = [n for n in names if f"`{n}" not in METHODS]
    assert not missing, f"document these in docs/methods.md: {missing}"


def test_every_worked_example_is_in_the_method_statement() -> None:
    for example in ("3.1", "5.1", "5.2", "5.7", "5.8", "5.9", "5.10", "5.11", "6.1", "7.1"):
        assert f"{example}" in METHODS, example
    assert "40 to 54, central 54" in METHODS


def test_the_quoted_false_change_rate_of_the_default_penalty() -> None:
    # docs/methods.md section 8: about 13% of 60-month series with no change show a spurious one.
    spurious = sum(
        bool(pelt(np.random.default_rng(seed).poisson(10, 60).tolist()).change_points)
        for seed in range(200)
    )
    assert 0.10 <= spurious / 200 <= 0.16
