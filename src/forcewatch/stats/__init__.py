"""The statistics library: pure, deterministic functions with typed results.

No database, no web: every function takes numbers and returns a frozen dataclass that can write
itself out (``as_dict()``, ``canonical_json()``) for a calculation trace. Invalid parameters raise
:class:`forcewatch.errors.UsageError` with a hint. docs/methods.md explains every method in plain
language.

- :mod:`.poisson`: exact Poisson intervals, P(at least one event), the dispersion test
- :mod:`.erlang`: Erlang B and C, units needed for a service level
- :mod:`.staffing`: on-duty STOs to trained headcount, in exact arithmetic
- :mod:`.funnel` and :mod:`.control_limits`: Spiegelhalter funnel plots with overdispersion;
  :mod:`.rates`: the rows of ``forcewatch rates``
- :mod:`.disparity`: rate ratios, conditional ratios, caveats; :mod:`.shrinkage` for small groups
- :mod:`.glm` and :mod:`.trend`: Poisson GLM trends, PELT change points, Poisson CUSUM
- :mod:`.morile`: the MoRiLE-style score from configured scales
- :mod:`.canonical`: the one canonical JSON form used for hashing
"""

from .canonical import Serialisable, canonical_json, fraction_text, sha256_of, to_jsonable
from .disparity import (
    CAVEATS,
    Caveat,
    DisparityRow,
    RatioEstimate,
    caveats,
    conditional_ratio,
    disparity_rows,
    odds_ratio,
    rate_ratio,
)
from .erlang import ErlangC, UnitsNeeded, erlang_b, erlang_b_table, erlang_c, units_for_blocking
from .funnel import (
    Z95,
    Z998,
    Funnel,
    FunnelPoint,
    FunnelUnit,
    Limits,
    funnel_limits,
    poisson_funnel,
    proportion_funnel,
)
from .glm import GlmFit, poisson_glm
from .morile import MorileInputs, MorileResult, MorileScales, likelihood_for_rate, morile_score
from .poisson import (
    DispersionTest,
    PoissonInterval,
    dispersion_test,
    poisson_interval,
    prob_at_least_one,
    rate_interval,
)
from .rates import AreaCount, RateRow, RateTable, rate_table
from .shrinkage import Shrinkage, ShrunkRate, shrink_rates
from .staffing import Headcount, exact, stos_for_units, trained_headcount
from .trend import ChangePoints, Cusum, Segment, Trend, annual_trend, pelt, poisson_cusum

__all__ = [
    "CAVEATS",
    "Z95",
    "Z998",
    "AreaCount",
    "Caveat",
    "ChangePoints",
    "Cusum",
    "DisparityRow",
    "DispersionTest",
    "ErlangC",
    "Funnel",
    "FunnelPoint",
    "FunnelUnit",
    "GlmFit",
    "Headcount",
    "Limits",
    "MorileInputs",
    "MorileResult",
    "MorileScales",
    "PoissonInterval",
    "RateRow",
    "RateTable",
    "RatioEstimate",
    "Segment",
    "Serialisable",
    "Shrinkage",
    "ShrunkRate",
    "Trend",
    "UnitsNeeded",
    "annual_trend",
    "canonical_json",
    "caveats",
    "conditional_ratio",
    "disparity_rows",
    "dispersion_test",
    "erlang_b",
    "erlang_b_table",
    "erlang_c",
    "exact",
    "fraction_text",
    "funnel_limits",
    "likelihood_for_rate",
    "morile_score",
    "odds_ratio",
    "pelt",
    "poisson_cusum",
    "poisson_funnel",
    "poisson_glm",
    "poisson_interval",
    "prob_at_least_one",
    "proportion_funnel",
    "rate_interval",
    "rate_ratio",
    "rate_table",
    "sha256_of",
    "shrink_rates",
    "stos_for_units",
    "to_jsonable",
    "trained_headcount",
    "units_for_blocking",
]
