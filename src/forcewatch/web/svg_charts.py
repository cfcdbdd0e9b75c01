"""Charts drawn on the server as SVG (Altair spec, rendered by vl-convert): no JavaScript, no CDN.

The page gets an inline ``<svg role="img">`` whose ``<title>`` and ``<desc>`` are its accessible
name and text alternative, next to a table of the same numbers. A chart draws only from the rows
it is given (the rows of the page's JSON twin), so it never shows a number the API cannot.
"""

from __future__ import annotations

import hashlib
import html
import json
from functools import lru_cache
from typing import Any, Mapping, Sequence

from markupsafe import Markup

__all__ = ["line_chart"]

_FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
_PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92"]


def line_chart(rows: Sequence[Mapping[str, Any]], x: str, series: Mapping[str, str], *, title: str,
               description: str, y_title: str, width: int = 640, height: int = 260) -> Markup:
    """Lines of ``series`` (field -> legend label) over the dates in ``x``, as accessible inline SVG."""
    import altair as alt

    values = [{"x": str(r[x]), "series": label, "value": r.get(field)}
              for r in rows for field, label in series.items() if r.get(field) is not None]
    data = alt.Data(values=values)  # type: ignore[no-untyped-call]
    chart = (alt.Chart(data).mark_line(point=True)
             .encode(x=alt.X("x:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
                     y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=True)),
                     color=alt.Color("series:N", title=None, sort=list(series.values()),
                                     legend=alt.Legend(orient="bottom", direction="vertical")))
             .properties(title=title, width=width, height=height))
    spec = {**chart.to_dict(), "config": {
        "font": _FONT, "background": "white", "view": {"stroke": None}, "range": {"category": _PALETTE},
        "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#0b0c0c", "titleColor": "#0b0c0c"},
        "legend": {"labelFontSize": 12}, "title": {"fontSize": 15, "anchor": "start", "color": "#0b0c0c"}}}
    return Markup(_render(json.dumps(spec, sort_keys=True, default=str), title, description))


@lru_cache(maxsize=64)
def _render(spec_json: str, title: str, description: str) -> str:
    import vl_convert

    svg = vl_convert.vegalite_to_svg(json.loads(spec_json))
    ident = "chart-" + hashlib.sha256((spec_json + title).encode()).hexdigest()[:10]
    head, sep, rest = svg.partition(">")
    if not sep or not head.startswith("<svg"):
        raise ValueError("vl-convert did not return an SVG document")
    return (f'{head} role="img" aria-labelledby="{ident}-title {ident}-desc" focusable="false">'
            f'<title id="{ident}-title">{html.escape(title)}</title>'
            f'<desc id="{ident}-desc">{html.escape(description)}</desc>{rest}')
