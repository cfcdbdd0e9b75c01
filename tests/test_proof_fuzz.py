"""Bad input: every importer, fed arbitrary and damaged files, refuses them cleanly or stores them.

Zero crashes (only documented forcewatch errors escape, each naming the file) and zero partial
writes (every table's fingerprint unchanged after a refusal). The default suite runs a few examples
of each; ``make proof`` runs many (``-m slow``). See docs/proof.md.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import zipfile
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forcewatch import official
from forcewatch.assault_import import import_assaults, import_outcomes
from forcewatch.errors import InputRefused
from forcewatch.form import FY20_HEADERS
from forcewatch.recording import import_records
from forcewatch.register_import import import_register
from forcewatch.review.classifier import classify_lines
from forcewatch.store import Store

from . import form_rows
from .assault_fixtures import AVON, AVON_ANALYST, SETTINGS
from .conftest import DATA
from .proof_support import refused_cleanly
from .register_data import HEADER as REGISTER_HEADER
from .register_data import KEY, analyst, posting

FAST = settings(max_examples=6, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
SLOW = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

ODS_FILES = sorted((DATA / "home-office").rglob("*.ods"))
CSV_FILES = [DATA / "ons" / "force-population-by-ethnicity-census2011.csv"]

# ---- strategies -------------------------------------------------------------------------------

nasty_chars = st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Lu", "Ll", "Nd", "Po", "Sm", "So"))
cell = st.one_of(
    st.text(nasty_chars, max_size=20),
    st.sampled_from(["", "Yes", "No", "0", "-1", "1e309", "NaN", "2018-02-30", "31/12/2018", "=1+1", "=HYPERLINK(\"x\")",
                     "\x00", "\r", "\n", "\"", "\"\"\"", ",", ";", "\t", "\ufeff", "Ã©", "\udcff".encode(
                         "utf-8", "surrogatepass").decode("latin-1"), "CED (Taser) Fired", "Kent",
                     "Avon and Somerset"]),
    st.integers(min_value=1, max_value=3).map(lambda n: "x" * (70_000 * n)),  # huge cells
)
line_end = st.sampled_from(["\r\n", "\n", "\r"])
encoding = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"])


@st.composite
def headers(draw: st.DrawFn) -> list[str]:
    """The form's headings: all, some missing, shuffled, duplicated, renamed or blank."""
    names = list(FY20_HEADERS)
    how = draw(st.sampled_from(["all", "missing", "shuffled", "duplicated", "renamed", "blank"]))
    if how == "missing":
        drop = draw(st.sets(st.sampled_from(names), min_size=1, max_size=8))
        names = [n for n in names if n not in drop]
    elif how == "shuffled":
        names = draw(st.permutations(names))
    elif how == "duplicated":
        names.insert(draw(st.integers(0, len(names))), draw(st.sampled_from(names)))
    elif how == "renamed":
        i = draw(st.integers(0, len(names) - 1))
        names[i] = draw(st.text(nasty_chars, max_size=12))
    elif how == "blank":
        names[draw(st.integers(0, len(names) - 1))] = ""
    return list(names)


@st.composite
def national_form_file(draw: st.DrawFn) -> bytes:
    """A national-form CSV: plausible reports with some cells replaced by nasty text."""
    heads = draw(headers())
    rows = []
    for n in range(draw(st.integers(0, 4))):
        r = form_rows.row(ReportId=f"R{n}", IncidentId=f"I{n}", PersonId=f"P{n}", OfficerId=f"O{n}")
        for _ in range(draw(st.integers(0, 4))):
            r[draw(st.sampled_from(heads or ["x"]))] = draw(cell)
        rows.append(r)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(line_end))
    writer.writerow(heads)
    for r in rows:
        writer.writerow([r.get(h, "") for h in heads])
    text = out.getvalue()
    data = text.encode(draw(encoding), errors="replace")
    if draw(st.booleans()):  # damage some bytes
        data = _flip(data, draw(st.lists(st.integers(0, 2**31), max_size=3)), draw(st.binary(min_size=1, max_size=3)))
    return data


def _flip(data: bytes, positions: list[int], junk: bytes) -> bytes:
    buf = bytearray(data)
    for p in positions:
        if buf:
            buf[p % len(buf)] = junk[p % len(junk)]
    return bytes(buf)


def _rezip(original: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """The same ODS/XLSX with each member passed through ``change(name, content)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info))
            compress = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info.filename, body, compress_type=compress)
    return out.getvalue()


def _in_content(edit: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, body: edit(body) if name == "content.xml" else body


@st.composite
def damaged_ods(draw: st.DrawFn) -> tuple[str, bytes]:
    """A bundled Home Office ODS file, damaged one way."""
    path = draw(st.sampled_from(ODS_FILES))
    data = path.read_bytes()
    how = draw(st.sampled_from(["truncated", "flipped", "headings", "renamed", "huge", "formula", "encoding",
                                "not a zip", "members"]))
    if how == "truncated":
        data = data[:draw(st.integers(0, len(data) - 1))]
    elif how == "flipped":
        data = _flip(data, draw(st.lists(st.integers(0, 2**31), min_size=1, max_size=20)),
                     draw(st.binary(min_size=1, max_size=4)))
    elif how == "headings":  # swap two frequent words throughout the sheets' text
        a, b = draw(st.sampled_from([(b"Total", b"Force"), (b"England", b"Wales"), (b"Taser", b"Number"),
                                     (b"Year", b"Region"), (b"officers", b"incidents")]))
        data = _rezip(data, _in_content(lambda x: x.replace(a, b"\x01").replace(b, a).replace(b"\x01", b)))
    elif how == "renamed":
        word = draw(st.sampled_from([b"Total", b"England and Wales", b"Force", b"Table", b"Metropolitan Police"]))
        new = draw(st.text(nasty_chars.filter(lambda c: c.isprintable() and c not in "<&>"), max_size=10)).encode()
        data = _rezip(data, _in_content(lambda x: x.replace(word, new)))
    elif how == "huge":
        huge = b"9" * draw(st.sampled_from([10_000, 1_000_000]))
        data = _rezip(data, _in_content(lambda x: x.replace(b"<text:p>", b"<text:p>" + huge, 3)))
    elif how == "formula":
        data = _rezip(data, _in_content(lambda x: x.replace(
            b'office:value-type="float"', b'table:formula="of:=1/0" office:value-type="float"', 50)))
    elif how == "encoding":  # the XML re-encoded as UTF-16 while it claims UTF-8
        data = _rezip(data, _in_content(lambda x: x.decode("utf-8").encode("utf-16")))
    elif how == "not a zip":
        data = b"PK\x03\x04" + draw(st.binary(max_size=200))
    elif how == "members":  # a member dropped
        gone = draw(st.sampled_from(["content.xml", "styles.xml", "META-INF/manifest.xml", "mimetype"]))
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                if info.filename != gone:
                    dst.writestr(info, src.read(info))
        data = out.getvalue()
    return f"{path.stem}-{how.replace(' ', '-')}.ods", data


# ---- importers --------------------------------------------------------------------------------

def _records(store: Store) -> Callable[[Path], Any]:
    return lambda path: import_records(store, path, "Avon and Somerset", imported_by="fuzz")


def _official(store: Store) -> Callable[[Path], Any]:
    return lambda path: official.import_file(store, path, imported_by="fuzz")


def _register(store: Store) -> Callable[[Path], Any]:
    return lambda path: import_register(store, analyst(), path, AVON, settings=KEY)


def _assaults(store: Store) -> Callable[[Path], Any]:
    return lambda path: import_assaults(store, path, AVON, principal=AVON_ANALYST, settings=SETTINGS)


def _outcomes(store: Store) -> Callable[[Path], Any]:
    return lambda path: import_outcomes(store, path, AVON, principal=AVON_ANALYST, settings=SETTINGS)


def _review(store: Store) -> Callable[[Path], Any]:
    def run(path: Path) -> Any:
        with path.open("rb") as lines:
            return classify_lines(lines, source=path.name)
    return run


@st.composite
def csv_file(draw: st.DrawFn, header: list[str], good: list[list[str]]) -> bytes:
    """A small CSV with the importer's headings (sometimes shuffled or missing) and nasty cells."""
    heads = list(header)
    if draw(st.booleans()):
        heads = draw(st.permutations(heads))
    if draw(st.booleans()) and heads:
        heads.pop(draw(st.integers(0, len(heads) - 1)))
    rows = [list(r) for r in good] + [[draw(cell) for _ in heads] for _ in range(draw(st.integers(0, 2)))]
    for r in rows:
        for _ in range(draw(st.integers(0, 3))):
            if r:
                r[draw(st.integers(0, len(r) - 1))] = draw(cell)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(line_end))
    writer.writerow(heads)
    writer.writerows(rows)
    data = out.getvalue().encode(draw(encoding), errors="replace")
    if draw(st.booleans()):
        data = _flip(data, draw(st.lists(st.integers(0, 2**31), max_size=3)), draw(st.binary(min_size=1, max_size=3)))
    return data


ASSAULT_HEADER = ["CrimeRef", "VictimStaffId", "VictimTeam", "VictimRole", "Offence", "OffenceDate", "InjuryLevel",
                  "Methods", "AbsenceDays"]
ASSAULT_ROW = ["CR/1", "AB1", "T1", "constable", "ew_common_assault", "2024-03-01", "none", "spit", ""]
OUTCOME_HEADER = ["CrimeRef", "VictimStaffId", "Stage", "Date", "Outcome"]
REGISTER_ROW = [posting("AB1", "2017-01-01", record="1").get(h, "") for h in REGISTER_HEADER]


@st.composite
def review_lines(draw: st.DrawFn) -> bytes:
    lines = []
    for n in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["good", "text", "json", "raw"]))
        if kind == "good":
            lines.append(json.dumps({"id": n, "text": draw(st.text(nasty_chars, max_size=50))}))
        elif kind == "text":
            lines.append(json.dumps({"id": draw(st.one_of(st.none(), st.integers(), st.text(max_size=5),
                                                          st.lists(st.integers(), max_size=2))),
                                     "text": draw(st.one_of(st.none(), st.integers(), cell))}))
        elif kind == "json":
            lines.append(json.dumps(draw(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                                                      lambda c: st.lists(c, max_size=3)
                                                      | st.dictionaries(st.text(max_size=4), c, max_size=3),
                                                      max_leaves=6))))
        else:
            lines.append(draw(cell))
    data = draw(line_end).join(lines).encode(draw(encoding), errors="replace")
    return data


STRATEGIES: dict[str, tuple[Callable[[Store], Callable[[Path], Any]], Any, str]] = {
    "records_csv": (_records, national_form_file(), "form.csv"),
    "official_ods": (_official, damaged_ods(), ""),
    "official_csv": (_official, st.sampled_from(CSV_FILES).flatmap(
        lambda p: st.builds(lambda d, i, j: _flip(p.read_bytes()[:i], [j], b"\x00\xff,\""), st.just(None),
                            st.integers(1, p.stat().st_size), st.integers(0, 2**31))), "census.csv"),
    "register_csv": (_register, csv_file(list(REGISTER_HEADER), [REGISTER_ROW]), "hr.csv"),
    "assaults_csv": (_assaults, csv_file(ASSAULT_HEADER, [ASSAULT_ROW]), "assaults.csv"),
    "outcomes_csv": (_outcomes, csv_file(OUTCOME_HEADER, [["CR/1", "AB1", "investigation", "2024-03-02", "charged"]]),
                     "outcomes.csv"),
    "review_jsonl": (_review, review_lines(), "submissions.jsonl"),
}


def _check(store: Store, tmp_path: Path, which: str, drawn: Any) -> None:
    importer, _, name = STRATEGIES[which]
    if isinstance(drawn, tuple):
        name, drawn = drawn
    path = tmp_path / name
    path.write_bytes(drawn)
    refused_cleanly(store, path, importer(store))


def _fuzz(which: str, profile: settings) -> Callable[..., None]:
    @profile
    @given(drawn=STRATEGIES[which][1])
    def run(store: Store, tmp_path: Path, drawn: Any) -> None:
        _check(store, tmp_path, which, drawn)
    return run


@pytest.mark.parametrize("which", sorted(STRATEGIES))
def test_bad_input_is_refused_cleanly(store: Store, tmp_path: Path, which: str) -> None:
    if store.backend != "sqlite":
        pytest.skip("the default suite fuzzes on SQLite; make proof fuzzes every backend")
    _fuzz(which, FAST)(store, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("which", sorted(STRATEGIES))
def test_bad_input_is_refused_cleanly_many_examples(store: Store, tmp_path: Path, which: str) -> None:
    _fuzz(which, SLOW)(store, tmp_path)


# ---- zip bombs and non-zips -------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _bomb(kind: str) -> bytes:
    """A small zip that inflates to 300 MB of zeros: an ODS (``content.xml``) or an XLSX (a sheet)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if kind == "ods":
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                             compress_type=zipfile.ZIP_STORED)
        member = "content.xml" if kind == "ods" else "xl/worksheets/sheet1.xml"
        with archive.open(member, "w") as body:
            zeros = b"\0" * (1 << 20)
            for _ in range(300):
                body.write(zeros)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["ods", "xlsx"])
def test_a_zip_bomb_is_refused_before_it_is_unzipped(store: Store, tmp_path: Path, kind: str) -> None:
    bomb = _bomb(kind)
    assert len(bomb) < 1_000_000
    path = tmp_path / f"bomb.{kind}"
    path.write_bytes(bomb)
    run = _official(store) if kind == "ods" else _records(store)
    with pytest.raises(InputRefused) as refused:
        run(path)
    assert "zip bomb" in str(refused.value) + " ".join(str(p) for p in refused.value.problems)
    assert refused_cleanly(store, path, run) == "refused"


@pytest.mark.parametrize("importer", ["official", "records"])
def test_a_file_that_only_looks_like_a_zip_is_refused_naming_the_file(store: Store, tmp_path: Path,
                                                                       importer: str) -> None:
    path = tmp_path / "tables.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"not a zip at all" * 10)
    run = _official(store) if importer == "official" else _records(store)
    with pytest.raises(InputRefused, match="tables.xlsx"):
        run(path)


def test_old_mac_line_ends_import_the_same_reports(store: Store, tmp_path: Path) -> None:
    rows = [form_rows.row(ReportId=f"R{n}", IncidentId=f"I{n}", PersonId=f"P{n}") for n in range(3)]
    text = form_rows.csv_text(rows)
    path = tmp_path / "cr.csv"
    path.write_bytes(text.replace("\r\n", "\r").encode())
    report = import_records(store, path, "Avon and Somerset", imported_by="test")
    assert report.reports_read == 3
    assert any("carriage returns" in p.message for p in report.problems)


def test_a_header_no_csv_reader_can_split_is_refused_naming_the_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b'ReportId,"Incident\x00Date\n' + b"x" * 200_000 + b'"\n')
    assert refused_cleanly(store, path, _records(store)) == "refused"


def test_a_workbook_whose_deflated_member_is_damaged_is_refused(store: Store, tmp_path: Path) -> None:
    """Found by the slow fuzzing: zipfile raises zlib.error for a corrupt deflate stream."""
    data = bytearray(ODS_FILES[0].read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        member = archive.getinfo("content.xml")
    start = member.header_offset + 30 + len(member.filename) + len(member.extra)
    for offset in range(start, start + 64):  # the first bytes of the deflate stream
        data[offset] ^= 0xFF
    path = tmp_path / "damaged.ods"
    path.write_bytes(bytes(data))
    assert refused_cleanly(store, path, _official(store)) == "refused"


def test_two_files_of_one_publication_with_a_huge_title_are_one_release(store: Store, tmp_path: Path) -> None:
    """Found by the slow fuzzing: a title over the 400 characters stored was looked up in full, so
    the second file of the same publication hit the unique constraint (a raw IntegrityError)."""
    original = (DATA / "home-office" / "ced" / "police-use-of-conducted-energy-devices-2016.ods").read_bytes()
    huge = b"9" * 10_000
    first = tmp_path / "first.ods"
    first.write_bytes(_rezip(original, _in_content(lambda x: x.replace(b"<text:p>", b"<text:p>" + huge, 3))))
    second = tmp_path / "second.ods"  # the same figures, in a file whose bytes differ
    second.write_bytes(_rezip(first.read_bytes(), lambda name, body: body + b" " if name == "META-INF/manifest.xml"
                              else body))
    results = [official.import_file(store, path) for path in (first, second)]
    assert [r.status for r in results] == ["stored", "same publication"]
