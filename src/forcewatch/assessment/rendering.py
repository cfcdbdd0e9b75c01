"""Rendering the packs: HTML from the Jinja2 templates beside this module, PDF with WeasyPrint.

HTML is a whole document (CSS inlined, or linked) or the body only (for the web pages, whose
stylesheet is served at ``/assessments/pack.css`` so the strict content security policy holds).
PDF: WeasyPrint, with every URL refused except inline ``data:`` (fonts are the system's, charts are
inline SVG drawn on the server by :mod:`.figures`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..access import SYSTEM, Principal
from ..errors import UsageError
from ..settings import Settings
from ..store import Store
from ..suppression import SUPPRESSED
from .figures import demand_chart, headcount_chart
from .model import NDM_STAGES, iso_moment
from .packs import TIERS, public_summary, restricted_pack

__all__ = ["pack_css", "render_html", "render_pdf", "write_pack"]

_TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=select_autoescape(["html"]))


def _flat(values: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """An indicator's values as (label, value) lines: nested keys joined, list items on one line each."""
    out: list[tuple[str, Any]] = []
    if isinstance(values, dict):
        for key, value in values.items():
            label = f"{prefix}{key}".replace("_", " ")
            if isinstance(value, (dict, list)):
                out += _flat(value, f"{prefix}{key} ")
            else:
                out.append((label, value))
    elif isinstance(values, list):
        for item in values:
            if isinstance(item, dict):
                text = ", ".join(
                    f"{k.replace('_', ' ')} {v}" for k, v in item.items() if not isinstance(v, (dict, list))
                )
                nested = [
                    f"{k.replace('_', ' ')} {json.dumps(v)}"
                    for k, v in item.items()
                    if isinstance(v, (dict, list))
                ]
                out.append((prefix.strip().replace("_", " "), "; ".join([text, *nested])))
            else:
                out.append((prefix.strip().replace("_", " "), item))
    return out


_ENV.filters["flat"] = _flat


def pack_css() -> str:
    """The packs' stylesheet (served at /static/assessment-pack.css by the web app, inlined in files)."""
    return (_TEMPLATES / "pack.css").read_text(encoding="utf-8")


def _charts(data: dict[str, Any]) -> dict[str, str | None]:
    if data["tier"] == "public":
        blocks = [b for b in data["kpis"]["demand_by_block"] if b["rate"] != SUPPRESSED]
        shown = [{**b, "events": b["events"]} for b in blocks]
        return {
            "demand": demand_chart(shown, suppressed=data["kpis"]["demand_blocks_suppressed"]),
            "headcount": None,
        }
    cov = data["decision"]["coverage"]
    areas = [
        {"area": a["area"], "required": a["required"], "current": a["decision"]["current"]}
        for a in [*cov["areas"], *([cov["total"]] if len(cov["areas"]) > 1 else [])]
    ]
    return {"demand": demand_chart(cov["blocks"]), "headcount": headcount_chart(areas)}


def render_html(data: dict[str, Any], *, standalone: bool = True, css_href: str | None = None) -> str:
    """The pack as HTML: a whole document (CSS inlined, or linked at ``css_href``), or the body only."""
    if data.get("tier") not in TIERS:
        raise UsageError("render_html takes the output of public_summary or restricted_pack")
    template = _ENV.get_template(f"pack_{data['tier']}.html")
    return template.render(
        data=data,
        charts=_charts(data),
        standalone=standalone,
        css_href=css_href,
        css=pack_css(),
        stages=NDM_STAGES,
        suppressed=SUPPRESSED,
        iso=iso_moment,
    )


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Fetcher for WeasyPrint before 68: inline ``data:`` URLs only."""
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher  # type: ignore[attr-defined]

        return default_url_fetcher(url)  # type: ignore[no-any-return]
    raise ValueError(f"packs use local resources only; refused to fetch {url}")


def _fetcher() -> Any:
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint 68 and later
    except ImportError:  # pragma: no cover - older WeasyPrint
        return _no_fetch
    return URLFetcher(allowed_protocols={"data"})


def render_pdf(html: str) -> bytes:
    """The pack as PDF (WeasyPrint); only inline resources (``data:``) are used, nothing is fetched."""
    from weasyprint import HTML

    pdf = HTML(string=html, url_fetcher=_fetcher()).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def write_pack(
    store: Store,
    assessment_id: int,
    tier: str,
    out: str | Path,
    *,
    principal: Principal = SYSTEM,
    settings: Settings | None = None,
) -> Path:
    """Write a pack to ``out`` (``.pdf`` or ``.html``); returns the path."""
    path = Path(out)
    if tier not in TIERS:
        raise UsageError(f"tier {tier!r} is not known", hint="restricted or public")
    if path.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise UsageError(f"{path.name}: write a .pdf or a .html file")
    data = (
        restricted_pack(store, assessment_id, principal=principal)
        if tier == "restricted"
        else public_summary(store, assessment_id, principal=principal, settings=settings)
    )
    html = render_html(data)
    if path.suffix.lower() == ".pdf":
        path.write_bytes(render_pdf(html))
    else:
        path.write_text(html, encoding="utf-8")
    return path
