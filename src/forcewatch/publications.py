"""Publications: what a force or the chiefs' council puts on the public transparency site.

Three kinds, each dated and public (no account needed to read them):

- ``assessment_summary``: made automatically, in the library, when a threat and risk assessment is
  published through its signed workflow (:func:`forcewatch.assessment.publish`);
- ``quarterly_taser``: a force's CED use by level for a calendar quarter, computed from its stored
  reports with the official counting rules (:mod:`forcewatch.publication_figures`);
- ``statement``: a dated statement by a force or, nationally, by the chiefs' council.

A publication is **frozen**: its figures (``data``), its open data as CSV text and the SHA-256 of
that text are stored when it is made, and the table is append-only (migration ``0010_web``:
triggers refuse UPDATE and DELETE). The CSV served is the stored text; :func:`verify_publication`
recomputes its hash, and for quarterly figures recomputes the figures from today's records, so a
change cannot pass unseen. Republishing makes a new publication that *supersedes* the old one
(``supersedes_id``, unique): the old one stays readable, marked as superseded, never edited.

Every write is checked against the access policy (``publication.write`` for a force,
``publication.write_national`` for national statements) and audited (``publication.published``).
Every figure is suppressed with :mod:`forcewatch.suppression` before it is frozen: a publication
holds no person-level data.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar, Sequence

from sqlalchemy import Connection, insert, select

from . import audit, forces
from .access import Principal, require
from .errors import NotFound, UsageError
from .settings import Settings
from .store import Store
from .store.tables.publications import KINDS, publication

__all__ = ["KINDS", "KIND_LABELS", "DEMO_CONTACTS", "Publication", "media_contacts", "PublicationPublished", "csv_text", "get_publication",
           "list_publications", "publish_statement", "store_publication", "verify_publication"]

KIND_LABELS = {"assessment_summary": "Threat and risk assessment: public summary",
               "quarterly_taser": "Quarterly Taser figures", "statement": "Statement"}


@audit.register
@dataclass(frozen=True, kw_only=True)
class PublicationPublished(audit.AuditEvent):
    """Fires in the same transaction as every publication on the public site (``supersedes_id``: the one it replaces)."""

    name: ClassVar[str] = "publication.published"
    subject_type: ClassVar[str] = "publication"
    kind: str
    period: str | None = None
    csv_sha256: str
    supersedes_id: int | None = None


def csv_text(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """The open data as CSV text, written exactly as the web app's ``.csv`` twins write a table."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in columns])
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Publication:
    """One publication as stored (``superseded_by_id`` is read from its successor, never stored)."""

    id: int
    kind: str
    force_code: str | None
    period: str | None
    title: str
    body: str
    method: str
    source: str
    suppression: str
    data: dict[str, Any]
    csv: str
    csv_sha256: str
    published_at: datetime
    published_by: str
    publisher_role: str
    supersedes_id: int | None
    assessment_id: int | None
    superseded_by_id: int | None = None

    @property
    def force(self) -> str:
        area = forces.try_resolve(self.force_code) if self.force_code else None
        return area.name if area else "England and Wales (national)"

    @property
    def columns(self) -> list[str]:
        return next(csv.reader(io.StringIO(self.csv)), []) if self.csv else []

    def rows(self) -> list[dict[str, str]]:
        """The frozen open data, as text (so writing it again gives the stored CSV byte for byte)."""
        return list(csv.DictReader(io.StringIO(self.csv))) if self.csv else []

    def summary(self) -> dict[str, Any]:
        """What the list of publications shows."""
        return {"id": self.id, "kind": self.kind, "kind_label": KIND_LABELS[self.kind], "title": self.title,
                "force_code": self.force_code, "force": self.force, "period": self.period,
                "published_at": self.published_at, "published_on": self.published_at.date().isoformat(),
                "publisher_role": self.publisher_role, "supersedes_id": self.supersedes_id,
                "superseded_by_id": self.superseded_by_id, "csv_sha256": self.csv_sha256 or None,
                "url": f"/public/publications/{self.id}"}

    def as_dict(self) -> dict[str, Any]:
        """The whole publication, public (the publisher appears by role only)."""
        return {**self.summary(), "body": self.body, "method": self.method, "source": self.source,
                "suppression": self.suppression, "data": self.data, "columns": self.columns,
                "assessment_id": self.assessment_id}


def _from_row(row: Any, superseded_by: int | None) -> Publication:
    values = dict(row._mapping)
    values["data"] = json.loads(values["data"])
    return Publication(**values, superseded_by_id=superseded_by)


def _successors(conn: Connection) -> dict[int, int]:
    t = publication.c
    return {r.supersedes_id: r.id for r in conn.execute(select(t.id, t.supersedes_id).where(t.supersedes_id.is_not(None)))}


def current_of(conn: Connection, *, kind: str, force_code: str | None, period: str | None) -> int | None:
    """The id of the publication of this kind, force and period that nothing supersedes yet, if any."""
    t = publication.c
    query = select(t.id).where(t.kind == kind, t.force_code.is_(None) if force_code is None else t.force_code == force_code,
                               t.period.is_(None) if period is None else t.period == period)
    ids = set(conn.execute(query).scalars())
    replaced = set(_successors(conn))
    left = sorted(ids - replaced)
    return left[-1] if left else None


def store_publication(conn: Connection, principal: Principal, *, kind: str, force_code: str | None, period: str | None,
                      title: str, body: str, method: str, source: str, suppression: str, data: dict[str, Any],
                      columns: Sequence[str] = (), rows: Sequence[dict[str, Any]] = (),
                      supersedes_id: int | None = None, assessment_id: int | None = None) -> int:
    """Append one publication inside the caller's write transaction, frozen and audited; its id.

    The caller has checked the principal may publish it. ``columns``/``rows`` are the open data.
    """
    if kind not in KINDS:
        raise UsageError(f"unknown kind of publication {kind!r}", hint=", ".join(KINDS))
    text = csv_text(columns, rows) if columns else ""
    if supersedes_id is not None and supersedes_id in _successors(conn):
        raise UsageError(f"publication {supersedes_id} is already superseded",
                         hint=f"supersede the newest one: publication {_successors(conn)[supersedes_id]}")
    new_id = conn.execute(insert(publication).values(
        kind=kind, force_code=force_code, period=period, title=title.strip(), body=body.strip(), method=method,
        source=source, suppression=suppression, data=audit.canonical_json(data), csv=text,
        csv_sha256=_sha256(text) if text else "", published_at=datetime.now(timezone.utc),
        published_by=principal.username, publisher_role=str(principal.role), supersedes_id=supersedes_id,
        assessment_id=assessment_id)).inserted_primary_key[0]
    audit.append(conn, PublicationPublished(force_code=force_code, subject_id=str(new_id), kind=kind, period=period,
                                            csv_sha256=_sha256(text) if text else "", supersedes_id=supersedes_id),
                 actor=principal)
    return int(new_id)


def publish_statement(store: Store, principal: Principal, *, title: str, body: str, force: str | None = None,
                      supersedes: int | None = None) -> Publication:
    """Publish a dated statement for ``force`` (its analyst, chief officer or an administrator) or, without
    a force, nationally (the national analyst or an administrator). ``supersedes`` replaces an earlier one."""
    code = forces.resolve(force, "force").code if force else None
    if code:
        require(principal, "publication.write", force_code=code)
    else:
        require(principal, "publication.write_national", force_code=None)
    if not title.strip() or not body.strip():
        raise UsageError("a statement needs a title and a text")
    with store.write() as conn:
        if supersedes is not None:
            old = conn.execute(select(publication.c.kind, publication.c.force_code)
                               .where(publication.c.id == supersedes)).first()
            if old is None or old.kind != "statement" or old.force_code != code:
                raise NotFound(f"no statement {supersedes} of {code or 'national'} to supersede")
        new_id = store_publication(
            conn, principal, kind="statement", force_code=code, period=None, title=title, body=body,
            method="A statement: words, not figures.", source=f"{forces.get(code).name if code else 'National'} "
            "press office", suppression="No figures are published with a statement.", data={},
            supersedes_id=supersedes)
    return get_publication(store, new_id)


def get_publication(store: Store, publication_id: int) -> Publication:
    """One publication (public: anyone may read it), or NotFound."""
    with store.read() as conn:
        row = conn.execute(select(publication).where(publication.c.id == publication_id)).first()
        if row is None:
            raise NotFound(f"no publication {publication_id}", hint="the list is at /public")
        return _from_row(row, _successors(conn).get(publication_id))


def list_publications(store: Store, *, force: str | None = None, kind: str | None = None,
                      current_only: bool = False) -> list[Publication]:
    """Publications newest first, optionally of one force (``national`` for national ones) or kind."""
    t = publication.c
    query = select(publication)
    if force == "national":
        query = query.where(t.force_code.is_(None))
    elif force:
        query = query.where(t.force_code == forces.resolve(force, "force").code)
    if kind:
        if kind not in KINDS:
            raise UsageError(f"unknown kind of publication {kind!r}", hint=", ".join(KINDS))
        query = query.where(t.kind == kind)
    with store.read() as conn:
        successors = _successors(conn)
        found = [_from_row(r, successors.get(r.id)) for r in conn.execute(query.order_by(t.published_at.desc(), t.id.desc()))]
    return [p for p in found if not (current_only and p.superseded_by_id)]


def verify_publication(store: Store, publication_id: int) -> dict[str, Any]:
    """Check a publication is as it was frozen: the CSV's SHA-256, and (quarterly figures) whether
    today's records still give the published figures (a difference is reported, not an error)."""
    from .publication_figures import recompute_quarterly

    item = get_publication(store, publication_id)
    actual = _sha256(item.csv) if item.csv else ""
    checks = [{"check": "csv_sha256", "ok": actual == item.csv_sha256, "stored": item.csv_sha256, "computed": actual}]
    if item.kind == "quarterly_taser" and item.force_code and item.period:
        now = recompute_quarterly(store, force_code=item.force_code, quarter=item.period,
                                  threshold=item.data.get("suppression_threshold"))
        checks.append({"check": "records_unchanged", "ok": now == item.rows(),
                       "note": "today's records give the published figures" if now == item.rows() else
                       "today's records give different figures: republish to supersede this publication"})
    return {"id": item.id, "ok": all(c["ok"] for c in checks[:1]), "checks": checks,
            "superseded_by_id": item.superseded_by_id}


#: shown on the contact page in demo mode when FORCEWATCH_MEDIA_CONTACTS is not set
DEMO_CONTACTS = "Press office (DEMO)|press-office@example.org|01234 567890;Out of hours duty press officer (DEMO)|duty-press@example.org|01234 567891"


def media_contacts(settings: Settings) -> list[dict[str, str]]:
    """The media contacts configured by ``FORCEWATCH_MEDIA_CONTACTS`` (``name|email|phone;...``); demo ones in demo mode."""
    text = settings.media_contacts or (DEMO_CONTACTS if settings.demo else "")
    contacts = []
    for entry in filter(None, (e.strip() for e in text.split(";"))):
        name, email, phone = (entry.split("|") + ["", "", ""])[:3]
        contacts.append({"name": name.strip(), "email": email.strip(), "phone": phone.strip()})
    return contacts
