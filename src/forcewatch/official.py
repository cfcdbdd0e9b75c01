"""Official statistics: importing publications and asking for their figures ("facts").

Import (:func:`import_files`, :func:`import_file`): each file is read whole, recognised from its
content (:mod:`forcewatch.importers`), checked against its own arithmetic (warnings), and stored
in **one transaction per file**: a refused file stores nothing of itself, while the other files
of the same command are still stored (the command says which). Re-importing the same bytes
changes nothing (``source_file`` keeps each file's SHA-256); the same publication from another
file (the XLSX of an ODS) stores nothing new if its figures are identical, and is refused if they
differ.

Query (:func:`facts`): one :class:`Fact` per published cell in the tidy form of
``docs/interfaces.md``. Keys:

- ``year``: ``2018-19`` financial year (the IOPC deaths tables: ``2004-05`` onwards), ``2016`` calendar year; ``2017-Q1`` for the January to
  March 2017 Taser bridge (an extension of the interface's forms);
- ``vintage``: the publication date. A figure revised later (2017-18 CED: 17,084 first, 16,913
  after revision) has one row per vintage; ``vintage="latest"`` gives the newest per cell,
  ``"all"`` every one, or a date one publication's;
- ``value`` is ``None`` with a ``note`` (``suppressed``, ``not available``, ``not applicable``)
  where the publication prints a marker; ``note = revised`` marks a figure flagged as revised.

See ``docs/official-statistics.md`` for every table key, dimension and measure.
"""

from __future__ import annotations

import getpass
import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import Select, and_, func, insert, select
from sqlalchemy.exc import IntegrityError

from . import forces, vocab
from .errors import InputRefused, Problem, UnknownName, UsageError
from .importers import FAMILIES, read_publication
from .importers.iopc_deaths import TABLE_KEYS as IOPC_TABLE_KEYS
from .store import Store
from .store.tables.official import fact as fact_table
from .store.tables.official import official_release
from .store.tables.reference import source_file

__all__ = ["Fact", "FACT_COLUMNS", "TABLE_KEYS", "ImportResult", "facts", "import_file", "import_files",
           "bundled_files", "loaded_summary"]

#: the interface columns, in order (CSV header and JSON keys)
FACT_COLUMNS = ("year", "source", "vintage", "table", "area_code", "area", "tactic", "dimension", "category",
                "measure", "value", "note")
#: the table keys of docs/interfaces.md
TABLE_KEYS = ("tactics", "age", "gender", "ethnicity", "health", "reason", "impact_factor", "outcome", "location",
              "officer_injury", "subject_injury", "incidents_by_force", "ced_by_force", "force_age", "force_gender",
              "force_ethnicity", "force_health", "workforce", "population", *IOPC_TABLE_KEYS)
_BUNDLED = ("home-office/use-of-force/*.ods", "home-office/workforce/*.ods", "home-office/ced/*.ods",
            "ons/force-population-by-ethnicity-census2011.csv", "iopc/*.ods")
_OFFICIAL_KINDS = tuple(FAMILIES)


@dataclass(frozen=True)
class Fact:
    """One published figure: the interface columns, then where it was printed."""

    year: str
    source: str
    vintage: str
    table: str
    area_code: str
    area: str
    tactic: str
    dimension: str
    category: str
    measure: str
    value: float | None
    note: str
    release_id: int = 0
    cell: str = ""
    table_number: str = ""
    table_title: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The interface columns only, in order."""
        return {c: getattr(self, c) for c in FACT_COLUMNS}


@dataclass
class ImportResult:
    """What importing one file did."""

    file: str
    status: str  # stored | already imported | same publication | refused
    kind: str = ""
    release: str = ""
    vintage: str = ""
    period: str = ""
    facts_stored: int = 0
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["warnings"] = [p.as_dict() for p in self.warnings]
        d["errors"] = [p.as_dict() for p in self.errors]
        return d


def bundled_files() -> list[Path]:
    """The official files bundled with forcewatch (Open Government Licence), in import order."""
    root = Path(__file__).parent / "data"
    return [p for pattern in _BUNDLED for p in sorted(root.glob(pattern))]


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in (".ods", ".xlsx", ".xls", ".csv"))
        else:
            out.append(p)
    return out


def import_files(store: Store, paths: Iterable[str | Path], *, imported_by: str | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> list[ImportResult]:
    """Import files and folders, each file in its own transaction; refusals are results, not raised."""
    files = _expand(paths)
    results = []
    for number, path in enumerate(files, 1):
        if progress:
            progress(path.name, number - 1, len(files))
        try:
            results.append(import_file(store, path, imported_by=imported_by))
        except InputRefused as refusal:
            results.append(ImportResult(path.name, "refused", errors=refusal.problems, message=str(refusal)))
    if progress:
        progress("", len(files), len(files))
    return results


def import_file(store: Store, path: str | Path, *, imported_by: str | None = None, _retry: bool = True) -> ImportResult:
    """Import one file atomically and idempotently; raises :class:`InputRefused` if refused."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputRefused(f"{path}: cannot read the file", [Problem(exc.strerror or str(exc), file=str(path))]) from None
    sha = hashlib.sha256(data).hexdigest()
    done = _already_imported(store, sha, path.name)
    if done:
        return done
    pub = read_publication(path)
    try:
        with store.write() as conn:
            same = conn.execute(select(official_release.c.id).where(  # the title as stored (400 characters)
                official_release.c.kind == pub.kind, official_release.c.vintage == pub.vintage,
                official_release.c.title == pub.title[:400])).scalar()
            file_id = _register(conn, pub, path.name, sha, len(data), imported_by, duplicate_of=same)
            result = ImportResult(path.name, "stored", pub.kind, pub.title, pub.vintage, pub.period,
                                  warnings=pub.warnings)
            if same is not None:
                _require_identical(conn, same, pub, path.name)
                result.status, result.message = "same publication", f"release {same} holds the same figures"
                return result
            release_id = conn.execute(insert(official_release).values(
                source_file_id=file_id, kind=pub.kind, title=pub.title[:400], publisher=pub.publisher,
                vintage=pub.vintage, period=pub.period, facts=len(pub.facts))).inserted_primary_key[0]  # type: ignore[index]
            rows = [_row(f, release_id, pub.vintage) for f in pub.facts]
            for start in range(0, len(rows), 5000):
                conn.execute(insert(fact_table), rows[start:start + 5000])
            result.facts_stored = len(rows)
            return result
    except IntegrityError:  # another process stored the same file, or the same publication, first
        done = _already_imported(store, sha, path.name)
        if done:
            return done
        if _retry:
            return import_file(store, path, imported_by=imported_by, _retry=False)
        raise


def _already_imported(store: Store, sha: str, name: str) -> ImportResult | None:
    with store.read() as conn:
        row = conn.execute(select(source_file).where(source_file.c.sha256 == sha, source_file.c.scope == "national",
                                                     source_file.c.kind.in_(_OFFICIAL_KINDS))).mappings().first()
    if row is None:
        return None
    summary = row["summary"] or {}
    return ImportResult(name, "already imported", row["kind"], summary.get("release", ""), row["vintage"] or "",
                        summary.get("period", ""), message=f"imported before as {row['filename']} on "
                        f"{row['imported_at']:%Y-%m-%d %H:%M}; nothing changed")


def _register(conn: Any, pub: Any, name: str, sha: str, size: int, by: str | None, duplicate_of: int | None) -> int:
    summary = {
        "release": pub.title, "period": pub.period, "facts": 0 if duplicate_of else len(pub.facts),
        "duplicate_of_release": duplicate_of,
        "tables": [asdict(t) for t in pub.tables], "warnings": [p.as_dict() for p in pub.warnings],
    }
    return conn.execute(insert(source_file).values(
        kind=pub.kind, sha256=sha, filename=name[:400], size_bytes=size, scope="national", vintage=pub.vintage,
        imported_at=datetime.now(timezone.utc), imported_by=(by or _user())[:120], summary=summary,
    )).inserted_primary_key[0]


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "forcewatch"


def _require_identical(conn: Any, release_id: int, pub: Any, name: str) -> None:
    stored = {tuple(r[:-1]): r[-1] for r in conn.execute(select(
        fact_table.c.table, fact_table.c.year, fact_table.c.area_code, fact_table.c.tactic, fact_table.c.dimension,
        fact_table.c.category, fact_table.c.measure, fact_table.c.value).where(fact_table.c.release_id == release_id))}
    new = {f.key: f.value for f in pub.facts}
    if stored != new:
        diff = sorted(set(stored.items()) ^ set(new.items()), key=str)[:5]
        raise InputRefused(
            f"{name}: this publication ({pub.title}, {pub.vintage}) was imported before from another file with "
            "different figures; nothing was stored",
            [Problem(f"differs at {k}: {v}", file=name) for k, v in diff],
            hint="a corrected re-issue needs its own publication date")


def _row(f: Any, release_id: int, vintage: str) -> dict[str, Any]:
    return {"release_id": release_id, "year": f.year, "source": "official", "vintage": vintage, "table": f.table,
            "area_code": f.area_code, "area": forces.get(f.area_code).name, "tactic": f.tactic,
            "dimension": f.dimension, "category": f.category, "measure": f.measure, "value": f.value,
            "note": f.note, "cell": f.cell[:60], "table_number": f.table_number[:10], "table_title": f.table_title[:300]}


# --- the query -----------------------------------------------------------------------------

def facts(store: Store, *, year: str | None = None, table: str | None = None, force: str | None = None,
          tactic: str | None = None, dimension: str | None = None, category: str | None = None,
          measure: str | None = None, source: str = "official", vintage: str = "latest",
          **records_options: Any) -> list[Fact]:
    """Published figures matching the filters, newest publication per cell unless ``vintage`` says.

    ``source="records"`` computes them from stored reports instead
    (:func:`forcewatch.monitoring.records_facts`; ``records_options``: ``start``, ``end``,
    ``profile``, ``principal``).
    """
    if source == "records":
        from .monitoring import records_facts

        return records_facts(store, year=year, table=table, force=force, tactic=tactic, dimension=dimension,
                             category=category, measure=measure, **records_options).facts
    if source != "official":
        raise UsageError(f"unknown source {source!r}", hint="use official or records")
    if records_options:
        raise UsageError(f"{', '.join(records_options)} apply only to --source records")
    if table is not None and table not in TABLE_KEYS:
        import difflib

        raise UnknownName("table", table, difflib.get_close_matches(table, TABLE_KEYS, n=3))
    query = select(fact_table)
    filters = {"year": _year(year) if year else None, "table": table, "tactic": tactic, "dimension": dimension,
               "category": category, "measure": measure,
               "area_code": forces.resolve(force).code if force else None}
    conditions = [fact_table.c[k] == v for k, v in filters.items() if v is not None]
    if vintage not in ("latest", "all"):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", vintage):
            raise UsageError(f"vintage {vintage!r} is not latest, all or a date", hint="for example 2019-12-19")
        conditions.append(fact_table.c.vintage == vintage)
    query = query.where(and_(*conditions)) if conditions else query
    if vintage == "latest":
        query = _latest(query)
    with store.read() as conn:
        rows = conn.execute(query).mappings().all()
    return sorted((Fact(**{k: r[k] for k in Fact.__dataclass_fields__}) for r in rows), key=_order)


def _year(text: str) -> str:
    """``2018/19``, ``2018-2019`` -> ``2018-19``; other forms (``2016``, ``2017-Q1``) as given."""
    m = re.fullmatch(r"(\d{4})[/-](\d{2}|\d{4})", text.strip())
    return f"{m.group(1)}-{m.group(2)[-2:]}" if m else text.strip()


def _latest(query: Select) -> Select:
    cell = (fact_table.c.year, fact_table.c.table, fact_table.c.area_code, fact_table.c.tactic,
            fact_table.c.dimension, fact_table.c.category, fact_table.c.measure)
    ranked = query.add_columns(func.row_number().over(
        partition_by=cell, order_by=(fact_table.c.vintage.desc(), fact_table.c.release_id.desc())).label("rank")
    ).subquery()
    return select(*(ranked.c[c.name] for c in fact_table.columns)).where(ranked.c.rank == 1)


_AREA_ORDER = {a.code: i for i, a in enumerate(forces.AREAS)}
_TACTIC_ORDER = {t.key: i for i, t in enumerate(vocab.TACTICS)}
_TABLE_ORDER = {k: i for i, k in enumerate(TABLE_KEYS)}
_CATEGORY_ORDER = {(d, t.key): i for d, terms in vocab.DIMENSIONS.items() for i, t in enumerate(terms)}


def _order(f: Fact) -> tuple[Any, ...]:
    dims = f.dimension.split("/")
    cats = tuple(_CATEGORY_ORDER.get((d, c), 99 if c != vocab.TOTAL_CATEGORY else 100)
                 for d, c in zip(dims, f.category.split("/"), strict=False))
    return (_TABLE_ORDER.get(f.table, 99), f.year, _AREA_ORDER.get(f.area_code, 999), _TACTIC_ORDER.get(f.tactic, -1),
            f.dimension, cats, f.category, f.measure, f.vintage)


def loaded_summary(store: Store) -> list[dict[str, Any]]:
    """How many facts are loaded, by table and year, with their publications' vintages."""
    with store.read() as conn:
        rows = conn.execute(select(fact_table.c.table, fact_table.c.year, func.count(),
                                   func.min(fact_table.c.vintage), func.max(fact_table.c.vintage))
                            .group_by(fact_table.c.table, fact_table.c.year)).all()
    out = [{"table": t, "year": y, "facts": n, "vintages": v1 if v1 == v2 else f"{v1} to {v2}"} for t, y, n, v1, v2 in rows]
    return sorted(out, key=lambda r: (_TABLE_ORDER.get(r["table"], 99), r["year"]))
