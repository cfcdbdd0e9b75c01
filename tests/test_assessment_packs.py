"""The two-tier packs: the restricted pack is complete and marked; the public summary is suppressed and
holds no person-level data; both render as HTML and PDF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from forcewatch import assessment as A
from forcewatch.assessment.packs import public_summary, restricted_pack
from forcewatch.assessment.rendering import render_html, render_pdf, write_pack
from forcewatch.errors import NotFound
from forcewatch.store import Store
from forcewatch.suppression import SUPPRESSED, is_small, statement, suppress

from .assessment_data import (
    AVON,
    confirm_and_score,
    demand_5_1,
    engage,
    import_force_records,
    people,
    published,
    settings,
    worked_example_method,
)
from .conftest import store_url

pytestmark = pytest.mark.usefixtures("fast_passwords")

#: fields that would identify a person or an officer, none of which a public summary may hold
PERSON_FIELDS = {
    "officer_pseudonym",
    "report_ref",
    "natural_key",
    "incident_id",
    "person_id",
    "age",
    "gender",
    "ethnicity_raw",
    "borough_raw",
    "source_row",
    "author",
    "actor",
    "created_by",
    "extractor",
    "username",
    "public_key",
}
#: keys of counts of events or people
COUNT_KEYS = {"events", "group_count", "reference_count", "count", "reports", "ced_reports"}


def walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)
    else:
        yield key, value


def test_suppression_hides_counts_from_1_to_the_threshold_and_says_so() -> None:
    assert [suppress(n, 5) for n in (0, 1, 5, 6, 2.0)] == [0, SUPPRESSED, SUPPRESSED, 6, SUPPRESSED]
    assert not is_small(True, 5) and not is_small(None, 5) and not is_small(3.5, 5)
    assert "Counts from 1 to 5 are suppressed" in statement(5)


def test_the_public_summary_has_no_small_count_and_no_person_level_field(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    import_force_records(store, tmp_path, AVON, reports=40, ced_every=4)  # 10 CED incidents over 3 blocks
    item = A.create_assessment(store, team["force_analyst"], force=AVON, period="2018-19", current={"": 8})
    summary = public_summary(store, item.id, settings=settings(tmp_path))
    leaves = list(walk(summary))
    counts = [v for k, v in leaves if k in COUNT_KEYS or k.startswith("ced")]
    assert counts and not any(is_small(v, 5) for v in counts), counts
    assert SUPPRESSED in [v for k, v in leaves if k == "events"] + [
        v for k, v in leaves if k == "group_count"
    ]
    blocks = summary["kpis"]["demand_by_block"]
    assert all(b["rate"] == SUPPRESSED for b in blocks if b["events"] == SUPPRESSED)
    assert not PERSON_FIELDS & {k for k, _ in leaves}
    assert summary["suppression"] == {"threshold": 5, "statement": statement(5)}
    html = render_html(summary)
    assert "Counts from 1 to 5 are suppressed" in html and 'class="suppressed"' in html
    assert "OFFICIAL (public summary)" in html and "OFFICIAL-SENSITIVE" not in html


def test_the_restricted_pack_is_marked_and_holds_the_trace_and_manifest(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = published(store, team, settings(tmp_path))
    data = restricted_pack(store, item.id)
    html = render_html(data)
    assert html.count("OFFICIAL-SENSITIVE") >= 2
    assert "Appendix C: calculation trace" in html and "erlang_b[force/00-24]" in html
    assert data["manifest_sha256"] in html and "20.25" in html and "40 to 54, central 54" in html
    for stage in A.NDM_STAGES.values():
        assert stage in html
    assert html.count("<svg") == 2  # demand with its interval; headcount against current


def test_packs_are_written_as_pdf_and_html(cli, store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = people(store)
    item = published(store, team, settings(tmp_path))
    for tier in ("restricted", "public"):
        pdf = write_pack(store, item.id, tier, tmp_path / f"{tier}.pdf", settings=settings(tmp_path))
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000
    done = cli(
        "assess",
        "pack",
        str(item.id),
        "--tier",
        "public",
        "--out",
        str(tmp_path / "p.html"),
        database=store_url(store),
    )
    assert done.exit_code == 0 and "<!doctype html>" in (tmp_path / "p.html").read_text()
    assert (
        cli(
            "assess",
            "pack",
            str(item.id),
            "--tier",
            "secret",
            "--out",
            str(tmp_path / "x.pdf"),
            database=store_url(store),
        ).exit_code
        == 2
    )


def test_a_pdf_fetches_nothing_from_outside(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pdf = render_pdf('<html><body><p>x</p><img src="http://example.com/a.png"></body></html>')
    assert pdf.startswith(b"%PDF")  # the remote image was refused, the rest rendered


def test_a_draft_summary_is_not_public(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from forcewatch.access import PUBLIC

    team = people(store)
    item = published(store, team, settings(tmp_path), current=40)
    draft = A.create_assessment(
        store,
        team["force_analyst"],
        force=AVON,
        period="2018-19",
        method=worked_example_method(),
        given=demand_5_1(),
        revision_reason="new data",
    )
    confirm_and_score(store, team["force_analyst"], draft.id)
    engage(store, team["force_analyst"], draft.id)
    assert public_summary(store, item.id, principal=PUBLIC)["assessment"]["state"] == "published"
    with pytest.raises(NotFound):
        public_summary(store, draft.id, principal=PUBLIC)
    assert public_summary(store, draft.id, principal=team["scrutiny_panel"])["assessment"]["state"] == "draft"
