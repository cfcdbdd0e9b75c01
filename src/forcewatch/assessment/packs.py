"""Two-tier publication: the restricted full pack and the public summary, each as HTML and PDF.

- **Restricted** (marked OFFICIAL-SENSITIVE; ``assessment.read_restricted``): everything in
  :func:`forcewatch.assessment.views.show_assessment`, with the run manifest and the full
  calculation trace as appendices.
- **Public** (:func:`public_summary`; the force's readers at any state, everyone once published):
  the method statement, the decision and its rationale, the EIA/CIA summary, engagement and who
  was informed, the monitoring KPIs, the sign-off dates and how to verify, with small numbers
  suppressed: every count from 1 to ``FORCEWATCH_SUPPRESSION_THRESHOLD`` (default 5), and every
  rate, interval and ratio built on one, is shown as "suppressed", and the rule is stated. No
  person-level data: counts only, roles not names.

HTML comes from the Jinja2 templates beside this module; PDF from WeasyPrint, with every URL
refused except inline data (fonts are the system's, images are inline SVG).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..access import SYSTEM, Principal
from ..errors import NotFound, UsageError
from ..settings import Settings
from ..store import Store
from ..suppression import SUPPRESSED, is_small, statement, suppress
from . import ledger
from .figures import demand_chart, headcount_chart
from .model import COMMUNITY_KINDS, NDM_STAGES, PARTIES, iso_moment
from .views import may_read_public_tier, show_assessment
from .workflow import signatures

__all__ = ["TIERS", "public_summary", "restricted_pack", "render_html", "render_pdf", "write_pack", "pack_css"]

TIERS = ("restricted", "public")
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
                text = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in item.items() if not isinstance(v, (dict, list)))
                nested = [f"{k.replace('_', ' ')} {json.dumps(v)}" for k, v in item.items() if isinstance(v, (dict, list))]
                out.append((prefix.strip().replace("_", " "), "; ".join([text, *nested])))
            else:
                out.append((prefix.strip().replace("_", " "), item))
    return out


_ENV.filters["flat"] = _flat


def pack_css() -> str:
    """The packs' stylesheet (served at /static/assessment-pack.css by the web app, inlined in files)."""
    return (_TEMPLATES / "pack.css").read_text(encoding="utf-8")


def _kpis(run: ledger.RunRecord, n: int) -> dict[str, Any]:
    decision, indicators = run.output("decision"), run.output("indicators")["indicators"]
    blocks = []
    for b in decision["coverage"]["blocks"]:
        small = is_small(b["events"], n)
        blocks.append({"area": b["area"], "block": b["block"], "events": suppress(b["events"], n),
                       **{k: SUPPRESSED if small else b[k] for k in ("rate", "rate_low", "rate_high")}})
    outcomes = next((i for i in indicators if i["key"] == "taser_outcomes" and i["status"] == "computed"), None)
    levels = {k: suppress(v, n) for k, v in ((outcomes or {}).get("values", {}).get("published_ced_by_level") or {}).items()}
    rate = (outcomes or {}).get("values", {}).get("published_ced_per_1000_officers")
    disparity = []
    for row in run.output("community_figures")["rows"]:
        small = is_small(row["group_count"], n) or is_small(row["reference_count"], n)
        disparity.append({"group": row["group"], "reference_group": row["reference_group"],
                          "benchmark": row["benchmark"], "source": row["source"],
                          "group_count": suppress(row["group_count"], n),
                          "reference_count": suppress(row["reference_count"], n),
                          **{k: SUPPRESSED if small else row[k] for k in ("rate_ratio", "ci_low", "ci_high")},
                          "note": row["note"]})
    return {"demand_by_block": blocks, "published_ced_by_level": levels,
            "published_ced_per_1000_officers": SUPPRESSED if is_small(levels.get("ced"), n) else rate,
            "disparity": disparity, "demand_blocks_suppressed": sum(1 for b in blocks if b["events"] == SUPPRESSED)}


def public_summary(store: Store, assessment_id: int, *, principal: Principal = SYSTEM,
                   settings: Settings | None = None) -> dict[str, Any]:
    """The public tier: suppressed, no person-level data (see the module docstring)."""
    n = (settings or Settings()).suppression_threshold
    with store.read() as conn:
        item = ledger.load(conn, assessment_id)
        if not may_read_public_tier(conn, principal, item):
            raise NotFound(f"no published assessment {assessment_id}")
        run = ledger.current_run(conn, item.id)
        config, _ = ledger.method_of(conn, item.method_sha256)
        decision = run.output("decision")
        community = ledger.community(conn, item.id)
        informed = ledger.informed(conn, item.id)
        signed = signatures(conn, item.id)
        kpis = _kpis(run, n)
    by_kind = {k: [c for c in community if c.kind == k] for k in COMMUNITY_KINDS}
    model = decision["model"]
    return {
        "tier": "public", "marking": "OFFICIAL (public summary)",
        "assessment": {"id": item.id, "force": item.force_name, "force_code": item.force_code, "period": item.period,
                       "version": item.version, "state": item.state, "title": item.title,
                       "superseded_by_id": item.superseded_by_id},
        "method_statement": {"name": config.info.name, "version": config.info.version, "sha256": config.sha256,
                             "approver": config.info.approver, "status": config.info.status,
                             "description": config.info.description, "demand_event": config.demand_event.text,
                             "service_level_beta": str(config.beta), "crewing": config.crewing,
                             "commitment_hours": str(config.commitment_hours),
                             "teams": str(config.staffing.teams), "abstraction": str(config.staffing.abstraction),
                             "buffer": str(config.staffing.buffer), "interval": config.interval.method,
                             "decision_rule": {k: str(v) for k, v in config.decision.as_dict().items()}},
        "decision": {"decision": decision["final"]["decision"], "statement": decision["final"]["statement"],
                     "recommendation": model["recommendation"], "reasons": model["reasons"],
                     "priority": decision["priority"],
                     "override": [{"field": o["field"], "value": o["value"], "rationale": o["rationale"]}
                                  for o in decision["override"] or []],
                     "flags": [{k: f[k] for k in ("group", "benchmark", "source", "explained")} for f in decision["flags"]]},
        "eia_cia": [{"outcome": c.outcome, "summary": c.summary} for c in by_kind["eia_cia"]],
        "consultation": [{"held_on": c.held_on.isoformat() if c.held_on else None, "summary": c.summary}
                         for c in by_kind["consultation"]],
        "mitigations": [c.summary for c in by_kind["mitigation"]],
        "caveats": [c.summary for c in by_kind["caveat"]],
        "informed": [{"party": PARTIES[i.party], "party_name": i.party_name, "informed_on": i.informed_on.isoformat(),
                      "how": i.how} for i in informed],
        "kpis": kpis,
        "sign_off": [{"state": s.to_state, "role": s.actor_role.replace("_", " "), "date": s.signed_at.date().isoformat()}
                     for s in signed],
        "suppression": {"threshold": n, "statement": statement(n)},
        "verification": {"manifest_sha256": run.manifest_sha256,
                         "how": f"forcewatch assess verify {item.id} re-runs the assessment from its stored inputs "
                                "and checks every hash, signature and audit link"},
    }


def restricted_pack(store: Store, assessment_id: int, *, principal: Principal = SYSTEM) -> dict[str, Any]:
    """The restricted tier: the full assessment (an audited read), marked OFFICIAL-SENSITIVE."""
    return {"tier": "restricted", "marking": "OFFICIAL-SENSITIVE", **show_assessment(store, principal, assessment_id)}


def _charts(data: dict[str, Any]) -> dict[str, str | None]:
    if data["tier"] == "public":
        blocks = [b for b in data["kpis"]["demand_by_block"] if b["rate"] != SUPPRESSED]
        shown = [{**b, "events": b["events"]} for b in blocks]
        return {"demand": demand_chart(shown, suppressed=data["kpis"]["demand_blocks_suppressed"]), "headcount": None}
    cov = data["decision"]["coverage"]
    areas = [{"area": a["area"], "required": a["required"], "current": a["decision"]["current"]}
             for a in [*cov["areas"], *([cov["total"]] if len(cov["areas"]) > 1 else [])]]
    return {"demand": demand_chart(cov["blocks"]), "headcount": headcount_chart(areas)}


def render_html(data: dict[str, Any], *, standalone: bool = True, css_href: str | None = None) -> str:
    """The pack as HTML: a whole document (CSS inlined, or linked at ``css_href``), or the body only."""
    if data.get("tier") not in TIERS:
        raise UsageError("render_html takes the output of public_summary or restricted_pack")
    template = _ENV.get_template(f"pack_{data['tier']}.html")
    return template.render(data=data, charts=_charts(data), standalone=standalone, css_href=css_href,
                           css=pack_css(), stages=NDM_STAGES, suppressed=SUPPRESSED, iso=iso_moment)


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


def write_pack(store: Store, assessment_id: int, tier: str, out: str | Path, *, principal: Principal = SYSTEM,
               settings: Settings | None = None) -> Path:
    """Write a pack to ``out`` (``.pdf`` or ``.html``); returns the path."""
    path = Path(out)
    if tier not in TIERS:
        raise UsageError(f"tier {tier!r} is not known", hint="restricted or public")
    if path.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise UsageError(f"{path.name}: write a .pdf or a .html file")
    data = (restricted_pack(store, assessment_id, principal=principal) if tier == "restricted"
            else public_summary(store, assessment_id, principal=principal, settings=settings))
    html = render_html(data)
    if path.suffix.lower() == ".pdf":
        path.write_bytes(render_pdf(html))
    else:
        path.write_text(html, encoding="utf-8")
    return path
