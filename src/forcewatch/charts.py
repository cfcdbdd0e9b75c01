"""Charts drawn on the server as SVG: Vega-Lite specs built with Altair, rendered by vl-convert.

No JavaScript and nothing from a CDN: the page receives an inline ``<svg role="img">`` with a
``<title>`` and a ``<desc>`` (its accessible name and description), next to a table of the same
numbers. Every chart draws from the rows it is given, which are the rows of the page's JSON twin,
so a chart never shows a number the API cannot.

    svg = bar_chart(rows, x="area", y="per_1000_officers", title="...", description="...")

Rendering takes about 0.1 s (the first call about 1 s, starting the engine), so rendered SVGs
are cached by their spec.
"""

from __future__ import annotations

import hashlib
import html
import json
from functools import lru_cache
from typing import Any, Mapping, Sequence

__all__ = ["bar_chart", "line_chart", "funnel_plot", "ratio_chart", "change_point_chart", "render_svg"]

_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
_PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#5694ca", "#6f72af", "#85994b"]


def _config() -> dict[str, Any]:
    return {
        "font": _FONT, "background": "white",
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#0b0c0c", "titleColor": "#0b0c0c"},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
        "title": {"fontSize": 15, "anchor": "start", "color": "#0b0c0c"},
        "range": {"category": _PALETTE},
        "view": {"stroke": None},
    }


def _data(rows: Sequence[Mapping[str, Any]], fields: Sequence[str | None]) -> list[dict[str, Any]]:
    return [{f: row.get(f) for f in fields if f} for row in rows]


def bar_chart(rows: Sequence[Mapping[str, Any]], x: str, y: str, *, title: str, description: str,
              x_title: str | None = None, y_title: str | None = None, color: str | None = None,
              horizontal: bool = False, sort_by_value: bool = False, grouped: bool = False, width: int = 640,
              height: int | None = None, number_format: str = ",.0f") -> str:
    """A bar chart of ``y`` by ``x`` (bars across when ``horizontal``), as accessible SVG markup.

    ``color`` colours bars by a field (with a legend); ``grouped`` puts bars of the same ``x`` side
    by side instead of on top of each other.
    """
    import altair as alt

    category = alt.X if not horizontal else alt.Y
    value = alt.Y if not horizontal else alt.X
    sort: Any = "-x" if horizontal else "-y"
    n = len({r.get(x) for r in rows})
    angle = 0 if horizontal or n <= 8 else -40
    enc: dict[str, Any] = {
        ("y" if horizontal else "x"): category(f"{x}:N", title=x_title or x, sort=sort if sort_by_value else None,
                                               axis=alt.Axis(labelLimit=220, labelAngle=angle)),
        ("x" if horizontal else "y"): value(f"{y}:Q", title=y_title or y, axis=alt.Axis(format=number_format)),
        "tooltip": [alt.Tooltip(f"{x}:N"), alt.Tooltip(f"{y}:Q", format=number_format)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=None, legend=alt.Legend(labelLimit=400, direction="vertical"))
        if grouped:
            enc["yOffset" if horizontal else "xOffset"] = (alt.YOffset if horizontal else alt.XOffset)(f"{color}:N")
    rows = [r for r in rows if r.get(y) is not None]
    chart = alt.Chart(alt.Data(values=_data(rows, (x, y, color)))).mark_bar(color=_PALETTE[0]).encode(**enc)
    chart = chart.properties(title=title, width=width, height=height or (max(200, 16 * n) if horizontal else 280))
    return render_svg(chart.to_dict(), title=title, description=description)


def line_chart(rows: Sequence[Mapping[str, Any]], x: str, y: str, *, title: str, description: str,
               x_title: str | None = None, y_title: str | None = None, color: str | None = None,
               width: int = 640, height: int = 280, number_format: str = ",.0f") -> str:
    """A line chart with points of ``y`` over ``x`` (one line per ``color``), as accessible SVG markup."""
    import altair as alt

    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:O", title=x_title or x, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{y}:Q", title=y_title or y, axis=alt.Axis(format=number_format), scale=alt.Scale(zero=True)),
        "tooltip": [alt.Tooltip(f"{x}:O"), alt.Tooltip(f"{y}:Q", format=number_format)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=None, legend=alt.Legend(labelLimit=400, direction="vertical"))
    rows = [r for r in rows if r.get(y) is not None]
    chart = (alt.Chart(alt.Data(values=_data(rows, (x, y, color)))).mark_line(point=True, color=_PALETTE[0])
             .encode(**enc).properties(title=title, width=width, height=height))
    return render_svg(chart.to_dict(), title=title, description=description)


def funnel_plot(points: Sequence[Mapping[str, Any]], curve: Sequence[Mapping[str, Any]], *, target: float, title: str,
                description: str, x_title: str, y_title: str, width: int = 640, height: int = 360,
                number_format: str = ",.1f", highlight: str | None = None) -> str:
    """A funnel plot: each area's ``value`` against its ``base``, the target, and the 95% and 99.8%
    limit curves; points outside the limits are coloured and labelled with their ``area``.

    ``points`` need ``area``, ``base``, ``value`` and ``outside`` (``none``/``95``/``998``);
    ``curve`` rows ``base``, ``low95``, ``high95``, ``low998``, ``high998``; ``highlight`` names an
    area to label wherever it falls (the reader's own force).
    """
    import altair as alt

    lines = [{"base": c["base"], "limit": c[k], "which": label} for c in curve
             for k, label in (("low95", "95% limits"), ("high95", "95% limits"), ("low998", "99.8% limits"),
                              ("high998", "99.8% limits"))]
    bases = [float(c["base"]) for c in curve] or [1.0, 10.0]
    x = alt.X("base:Q", title=x_title, axis=alt.Axis(format="~s", labelOverlap="greedy"),
              scale=alt.Scale(type="log", domain=[min(bases), max(bases)], nice=False))
    limit = (alt.Chart(alt.Data(values=[{**r, "side": r["which"] + (" low" if i % 2 == 0 else " high")}
                                        for i, r in enumerate(lines)]))
             .mark_line(strokeWidth=1.2)
             .encode(x=x, y=alt.Y("limit:Q", title=y_title, axis=alt.Axis(format=number_format)),
                     detail="side:N",
                     strokeDash=alt.StrokeDash("which:N", title=None, legend=alt.Legend(direction="vertical")),
                     color=alt.value("#505a5f")))
    centre = alt.Chart(alt.Data(values=[{"target": target}])).mark_rule(color="#0b0c0c").encode(y="target:Q")
    shown = [{"area": p["area"], "base": p["base"], "value": p["value"],
              "position": {"none": "within limits", "95": "outside 95%", "998": "outside 99.8%"}[p["outside"]]}
             for p in points if p.get("value") is not None and p.get("base")]
    dots = (alt.Chart(alt.Data(values=shown)).mark_point(filled=True, size=45)
            .encode(x=x, y="value:Q",
                    color=alt.Color("position:N", title=None, legend=alt.Legend(direction="vertical"),
                                    scale=alt.Scale(domain=["within limits", "outside 95%", "outside 99.8%"],
                                                    range=[_PALETTE[0], _PALETTE[3], _PALETTE[1]])),
                    tooltip=[alt.Tooltip("area:N"), alt.Tooltip("value:Q", format=number_format),
                             alt.Tooltip("base:Q", format=",.0f")]))
    labels = (alt.Chart(alt.Data(values=[p for p in shown if p["position"] != "within limits" or p["area"] == highlight]))
              .mark_text(align="left", dx=6, fontSize=11, color="#0b0c0c").encode(x=x, y="value:Q", text="area:N"))
    chart = alt.layer(limit, centre, dots, labels).properties(title=title, width=width, height=height)
    return render_svg(chart.to_dict(), title=title, description=description)


def ratio_chart(rows: Sequence[Mapping[str, Any]], *, label: str, ratio: str, low: str, high: str, title: str,
                description: str, x_title: str, width: int = 560) -> str:
    """Ratios with their intervals (a dot and a line per row) on a log scale, with a rule at 1 (no
    difference); rows without an interval show the dot only."""
    import altair as alt

    data = [{"label": r[label], "ratio": r[ratio], "low": r.get(low), "high": r.get(high)}
            for r in rows if r.get(ratio)]
    y = alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=260))
    x = alt.X("ratio:Q", title=x_title, scale=alt.Scale(type="log"))
    one = alt.Chart(alt.Data(values=[{"one": 1}])).mark_rule(color="#0b0c0c", strokeDash=[4, 3]).encode(x="one:Q")
    bars = (alt.Chart(alt.Data(values=[d for d in data if d["low"] and d["high"]])).mark_rule(color=_PALETTE[0], strokeWidth=2)
            .encode(y=y, x=alt.X("low:Q", scale=alt.Scale(type="log")), x2="high:Q"))
    dots = (alt.Chart(alt.Data(values=data)).mark_point(filled=True, size=60, color=_PALETTE[0])
            .encode(y=y, x=x, tooltip=[alt.Tooltip("label:N"), alt.Tooltip("ratio:Q", format=".2f"),
                                       alt.Tooltip("low:Q", format=".2f"), alt.Tooltip("high:Q", format=".2f")]))
    chart = alt.layer(one, bars, dots).properties(title=title, width=width, height=max(120, 28 * len(data)))
    return render_svg(chart.to_dict(), title=title, description=description)


def change_point_chart(rows: Sequence[Mapping[str, Any]], *, x: str, y: str, marks: Sequence[str], title: str,
                       description: str, x_title: str, y_title: str, fitted: str | None = None, width: int = 640,
                       height: int = 280) -> str:
    """A line of ``y`` over ``x`` with vertical rules at the ``marks`` (change points), and the
    fitted segment level ``fitted`` as a step line when given."""
    import altair as alt

    data = _data(rows, (x, y, fitted))
    xe = alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=-45))
    layers = [alt.Chart(alt.Data(values=data)).mark_line(point=True, color=_PALETTE[0])
              .encode(x=xe, y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=True)),
                      tooltip=[alt.Tooltip(f"{x}:O"), alt.Tooltip(f"{y}:Q")])]
    if fitted:
        layers.append(alt.Chart(alt.Data(values=data)).mark_line(interpolate="step-after", color=_PALETTE[2],
                                                                   strokeDash=[4, 3]).encode(x=xe, y=f"{fitted}:Q"))
    if marks:
        layers.append(alt.Chart(alt.Data(values=[{x: m, "label": "change"} for m in marks]))
                      .mark_rule(color=_PALETTE[1], strokeWidth=2).encode(x=xe))
    chart = alt.layer(*layers).properties(title=title, width=width, height=height)
    return render_svg(chart.to_dict(), title=title, description=description)


def render_svg(spec: Mapping[str, Any], *, title: str, description: str) -> str:
    """Render a Vega-Lite spec to SVG with ``role="img"``, ``<title>`` and ``<desc>`` (cached)."""
    spec = {**spec, "config": {**_config(), **spec.get("config", {})}}
    return _render(json.dumps(spec, sort_keys=True, default=str), title, description)


@lru_cache(maxsize=128)
def _render(spec_json: str, title: str, description: str) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(json.loads(spec_json))
    ident = "chart-" + hashlib.sha256((spec_json + title).encode()).hexdigest()[:10]
    head, sep, rest = svg.partition(">")
    if not sep or not head.startswith("<svg"):
        raise ValueError("vl-convert did not return an SVG document")
    opening = (f'{head} role="img" aria-labelledby="{ident}-title {ident}-desc" focusable="false">'
               f'<title id="{ident}-title">{html.escape(title)}</title>'
               f'<desc id="{ident}-desc">{html.escape(description)}</desc>')
    return opening + rest
