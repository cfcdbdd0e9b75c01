"""The assessment's charts, as accessible SVG drawn on the server (:func:`forcewatch.charts.render_svg`).

- demand: λ (events per hour) by area and hour block, with its exact 95% interval;
- headcount: the required trained headcount interval (lower to upper, central marked) by area
  against the current headcount.

Each chart draws from the rows of the page's JSON (the run's decision output), so it never shows
a number the JSON does not. Rows whose count is suppressed (public tier) are left out and said so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import charts

__all__ = ["demand_chart", "headcount_chart"]


def demand_chart(blocks: Sequence[Mapping[str, Any]], *, suppressed: int = 0) -> str | None:
    """λ by hour block (one colour per area) with its interval; ``None`` when there is nothing to draw."""
    import altair as alt

    rows = [
        {
            "area": b["area"],
            "block": b["block"],
            "rate": b["rate"],
            "low": b["rate_low"],
            "high": b["rate_high"],
            "events": b["events"],
        }
        for b in blocks
        if isinstance(b.get("rate"), (int, float))
    ]
    if not rows:
        return None
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("block:N", title="Hour block"),
        color=alt.Color("area:N", title=None),
        xOffset=alt.XOffset("area:N"),
    )
    bars = base.mark_rule(strokeWidth=2).encode(
        y=alt.Y("low:Q", title="Demand events per hour (λ)"), y2="high:Q"
    )
    points = base.mark_point(filled=True, size=60).encode(
        y="rate:Q",
        tooltip=[
            "area:N",
            "block:N",
            alt.Tooltip("rate:Q", format=".4f"),
            alt.Tooltip("low:Q", format=".4f"),
            alt.Tooltip("high:Q", format=".4f"),
        ],
    )
    chart = (bars + points).properties(
        title="Demand by hour block: λ with its exact 95% interval", width=520, height=260
    )
    described = "; ".join(
        f"{r['area']} {r['block']}: {r['rate']:.4f} ({r['low']:.4f} to {r['high']:.4f})" for r in rows[:24]
    )
    if suppressed:
        described += f". {suppressed} block(s) with small counts are not shown."
    return charts.render_svg(
        chart.to_dict(),
        title="Demand events per hour by hour block, with 95% intervals",
        description="Events per hour (lambda), lower and upper 95% bounds: " + described,
    )


def headcount_chart(areas: Sequence[Mapping[str, Any]]) -> str | None:
    """The required headcount interval by area (and the force) against the current headcount."""
    import altair as alt

    rows = [
        {
            "area": a["area"],
            "low": a["required"]["low"],
            "central": a["required"]["central"],
            "high": a["required"]["high"],
            "current": a.get("current"),
        }
        for a in areas
    ]
    if not rows:
        return None
    base = alt.Chart(alt.Data(values=rows)).encode(y=alt.Y("area:N", title=None))
    interval = base.mark_rule(strokeWidth=6, color="#5694ca").encode(
        x=alt.X("low:Q", title="Trained Taser officers", scale=alt.Scale(zero=True)), x2="high:Q"
    )
    central = base.mark_tick(thickness=3, size=18, color="#1d70b8").encode(x="central:Q")
    layers = interval + central
    if any(r["current"] is not None for r in rows):
        current = (
            alt.Chart(alt.Data(values=[r for r in rows if r["current"] is not None]))
            .mark_point(shape="diamond", filled=True, size=90, color="#d4351c")
            .encode(y="area:N", x="current:Q")
        )
        layers = layers + current
    chart = layers.properties(
        title="Required trained headcount (interval, central tick) and current (diamond)",
        width=520,
        height=max(80, 40 * len(rows)),
    )
    described = "; ".join(
        f"{r['area']}: required {r['low']} to {r['high']}, central {r['central']}, current "
        f"{'not given' if r['current'] is None else r['current']}"
        for r in rows
    )
    return charts.render_svg(
        chart.to_dict(), title="Required trained headcount against current", description=described
    )
