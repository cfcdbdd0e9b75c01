"""Importing national-form files: tallies, ids, encodings, layouts, atomicity and idempotency."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import func, select

from forcewatch.errors import InputRefused, SettingsError
from forcewatch.form_values import written_as
from forcewatch.recording import import_records
from forcewatch.settings import Settings
from forcewatch.store import Store
from forcewatch.store.tables.records import ced_device, incident, officer_report, person_involved, tactic_use
from forcewatch.store.tables.reference import source_file

from .conftest import DATA, store_url
from .form_rows import counting_fixture, row, write_csv

SAMPLE = DATA / "samples" / "national-form-sample-fy20-layout.csv"
KEY = Settings(pseudonym_key="k" * 40)


def rows_of(store: Store, *columns):  # type: ignore[no-untyped-def]
    with store.read() as conn:
        return conn.execute(select(*columns).order_by(officer_report.c.id)).all()


def counts(store: Store) -> dict[str, int]:
    return {k: v for k, v in store.table_counts().items() if k != "area"}


def test_the_sample_reproduces_every_published_tally(store: Store) -> None:
    expected = json.loads(SAMPLE.with_name(SAMPLE.name + ".expected.json").read_text())
    report = import_records(store, SAMPLE, "Metropolitan Police")
    assert report.reports_read == report.stored == expected["reports"]
    rows = rows_of(store, officer_report.c.ced, officer_report.c.ced_class, officer_report.c.ethnicity_raw, officer_report.c.ethnicity,
                   officer_report.c.outcome_mask, officer_report.c.age)
    assert sum(r.ced for r in rows) == expected["ced"]
    classes = Counter(r.ced_class for r in rows if r.ced)
    assert classes == {"discharge": expected["ced_discharge"], "non_discharge": expected["ced_non_discharge"],
                       "not_stated": expected["ced_not_stated"]}
    # the text as written is kept only where it differs from the form's own spelling of the value
    assert Counter(r.ethnicity_raw or written_as("ethnicity", r.ethnicity) for r in rows if r.ced) == expected["ethnicity_ced"]
    assert sum(1 for r in rows if r.outcome_mask & 2) == expected["arrested"]  # bit 1 = arrested
    labels = {"under_11": "0-10", "11_17": "11-17", "18_34": "18-34", "35_49": "35-49", "50_64": "50-64", "65_plus": "65 and over"}
    assert Counter(labels[r.age] for r in rows) == expected["age"]
    repaired = [p for p in report.problems if p.column == "SubjectAge"]
    assert len(repaired) == 1 and repaired[0].severity == "repair" and "11-17" in repaired[0].message
    assert repaired[0].row == 22 and "in 21 rows" in repaired[0].message
    assert report.encoding.startswith("utf-8") and report.layout.startswith("FY20-21 layout (271")


def test_the_counting_fixture_is_stored_with_its_incident_people_and_reports(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "fixture.csv", counting_fixture())
    import_records(store, path, "E23000035", settings=KEY)
    with store.read() as conn:
        incidents = conn.execute(select(incident.c.ref, incident.c.grouping)).all()
        people = conn.execute(select(person_involved.c.ref).order_by(person_involved.c.id)).scalars().all()
        reports = conn.execute(select(officer_report.c.report_ref, officer_report.c.person_id, officer_report.c.tactic_count,
                                      officer_report.c.ced_class, officer_report.c.officer_pseudonym,
                                      officer_report.c.natural_key).order_by(officer_report.c.id)).all()
        uses = conn.execute(select(tactic_use.c.report_id, tactic_use.c.seq, tactic_use.c.tactic)
                            .order_by(tactic_use.c.report_id, tactic_use.c.seq)).all()
        devices = conn.execute(select(ced_device.c.block, ced_device.c.fired, ced_device.c.front_mask)).all()
    assert incidents == [("id:INC-1", "declared")]
    assert people == ["id:P1", "id:P2"]
    assert [r.report_ref for r in reports] == ["R1", "R2", "R3"]
    assert reports[0].person_id == reports[1].person_id != reports[2].person_id
    assert [r.natural_key for r in reports] == ["id:R1", "id:R2", "id:R3"]
    assert [r.ced_class for r in reports] == ["discharge", None, None]
    assert [r.tactic_count for r in reports] == [5, 4, 1]
    assert [t for _, _, t in uses[:5]] == ["tactical_communication", "handcuffing_non_compliant", "ced_drawn",
                                           "ced_red_dot", "ced_fired"]
    assert devices == [(1, True, 1 << 2)]  # Front 3 is bit 2
    pseudonyms = [r.officer_pseudonym for r in reports]
    assert len(set(pseudonyms)) == 3 and all(len(p) == 32 and p not in ("A", "B", "C") for p in pseudonyms)


def test_officer_ids_need_a_pseudonym_key_outside_demo_mode(store: Store, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("FORCEWATCH_PSEUDONYM_KEY", raising=False)
    path = write_csv(tmp_path / "fixture.csv", counting_fixture())
    with pytest.raises(SettingsError, match="FORCEWATCH_PSEUDONYM_KEY"):
        import_records(store, path, "E23000035", settings=Settings(demo=False))
    assert counts(store)["officer_report"] == 0
    import_records(store, path, "E23000035", settings=Settings(demo=True))
    assert counts(store)["officer_report"] == 3


def test_aliases_shuffled_columns_and_unknown_columns(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from forcewatch.form import FY20_HEADERS

    headers = list(reversed(FY20_HEADERS))
    headers[headers.index("Impact Factor: Possesion of a weapon")] = "impact factor:  possession of a weapon"
    headers[headers.index("CED2 ArCED2")] = "CED2 Arced"
    headers.append("Free text notes")
    r = row(**{"Free text notes": "anything"})
    r["impact factor:  possession of a weapon"] = "Yes"
    r.pop("Impact Factor: Possesion of a weapon")
    report = import_records(store, write_csv(tmp_path / "shuffled.csv", [r], headers), "Kent")
    assert report.stored == 1 and "another order" not in report.layout
    warnings = [p for p in report.problems if p.severity == "warning"]
    assert any("Free text notes" in p.message for p in warnings)
    assert rows_of(store, officer_report.c.impact_factor_mask) == [(1,)]  # bit 0 = weapon


def test_cp1252_and_utf8_with_bom_are_read_and_reported(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = row(MainDuty="Caf\u00e9 patrol \u2013 nights")
    a = import_records(store, write_csv(tmp_path / "a.csv", [r], encoding="cp1252"), "Kent")
    b = import_records(store, write_csv(tmp_path / "b.csv", [row(MainDuty="\u00e9")], encoding="utf-8-sig"), "Kent")
    assert a.encoding == "cp1252" and b.encoding == "utf-8 (with BOM)"
    assert [m for (m,) in rows_of(store, officer_report.c.main_duty)] == ["Caf\u00e9 patrol \u2013 nights", "\u00e9"]


def test_xlsx_with_typed_cells(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    openpyxl = pytest.importorskip("openpyxl")
    from forcewatch.form import FY20_HEADERS

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(FY20_HEADERS))
    for age in ("18-34", datetime(2017, 11, 1)):
        r = row()
        values = [r.get(h) or None for h in FY20_HEADERS]
        values[FY20_HEADERS.index("IncidentDate")] = datetime(2018, 6, 1)
        values[FY20_HEADERS.index("SubjectAge")] = age
        values[FY20_HEADERS.index("CED Fired Cartridge Number")] = 2
        sheet.append(values)
    book.save(tmp_path / "typed.xlsx")
    report = import_records(store, tmp_path / "typed.xlsx", "Kent")
    assert report.encoding == "xlsx" and report.stored == 2
    assert [a for (a,) in rows_of(store, officer_report.c.age)] == ["18_34", "11_17"]
    assert any(p.severity == "repair" and p.column == "SubjectAge" for p in report.problems)


def _bad_file(tmp_path, n: int, bad_at: int):  # type: ignore[no-untyped-def]
    rows = [row(IncidentDate=f"2018-{4 + i % 9:02d}-{1 + i % 28:02d}") for i in range(n)]
    rows[bad_at] = row(**{"Tactic 1": "Taser Fired (sort of)"})
    return write_csv(tmp_path / "bad.csv", rows)


def test_one_bad_row_among_2000_refuses_the_file_naming_that_row(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputRefused) as refused:
        import_records(store, _bad_file(tmp_path, 2000, 1203), "Kent")
    errors = [p for p in refused.value.problems if p.severity == "error"]
    assert len(errors) == 1
    assert (errors[0].row, errors[0].column, errors[0].value) == (1205, "Tactic 1", "Taser Fired (sort of)")
    assert "row 1,205" in str(errors[0]) and "not a known tactic" in str(errors[0])
    assert counts(store) == {k: 0 for k in counts(store)}


@pytest.mark.slow
def test_one_bad_row_among_100000_refuses_the_file_naming_that_row(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputRefused) as refused:
        import_records(store, _bad_file(tmp_path, 100_000, 77_776), "Kent")
    assert [(p.row, p.column) for p in refused.value.problems if p.severity == "error"] == [(77_778, "Tactic 1")]
    assert counts(store) == {k: 0 for k in counts(store)}


def test_a_missing_required_column_refuses_the_file(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from forcewatch.form import FY20_HEADERS

    headers = [h for h in FY20_HEADERS if h != "SubjectAge"]
    with pytest.raises(InputRefused, match="not imported") as refused:
        r = row()
        r.pop("SubjectAge")
        import_records(store, write_csv(tmp_path / "x.csv", [r], headers), "Kent")
    assert "required column 'SubjectAge' is missing" in refused.value.problems[0].message


def test_importing_twice_changes_nothing(store: Store) -> None:
    import_records(store, SAMPLE, "E23000001")
    before = counts(store)
    again = import_records(store, SAMPLE, "E23000001")
    assert again.already_imported and again.stored == 0 and again.skipped == 400
    assert counts(store) == before


def test_a_revised_superset_adds_only_the_new_reports(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = [row(IncidentDate="2018-05-01"), row(IncidentDate="2018-05-01"), row(IncidentDate="2018-05-02")]
    revised = [*first, row(IncidentDate="2018-05-03"), row(IncidentDate="2018-05-01")]
    import_records(store, write_csv(tmp_path / "may.csv", first), "Kent")
    report = import_records(store, write_csv(tmp_path / "may-revised.csv", [r.copy() for r in revised]), "Kent")
    assert (report.stored, report.skipped, report.updated) == (2, 3, 0)
    assert counts(store)["officer_report"] == 5 and counts(store)["source_file"] == 2


def test_a_changed_report_with_a_report_id_is_replaced_with_a_new_version(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import_records(store, write_csv(tmp_path / "a.csv", counting_fixture()), "Kent", settings=KEY)
    changed = counting_fixture()
    changed[2]["SubjectGender"] = "Male"
    report = import_records(store, write_csv(tmp_path / "b.csv", changed), "Kent", settings=KEY)
    assert (report.stored, report.skipped, report.updated) == (0, 2, 1)
    assert rows_of(store, officer_report.c.report_ref, officer_report.c.gender, officer_report.c.version)[-1] == ("R3", "male", 2)
    assert counts(store)["tactic_use"] == 5 + 4 + 1


@pytest.mark.parametrize("step", ["incidents", "people", "reports", "tactics", "devices"])
def test_a_crash_half_way_through_writing_leaves_nothing(store: Store, step: str) -> None:
    def fault(at: str) -> None:
        if at == step:
            raise RuntimeError(f"disk on fire at {at}")

    with pytest.raises(RuntimeError, match="disk on fire"):
        import_records(store, SAMPLE, "E23000001", fault=fault)
    assert counts(store) == {k: 0 for k in counts(store)}
    assert import_records(store, SAMPLE, "E23000001").stored == 400


def test_the_command_prints_the_report_and_refuses_bad_files_with_exit_1(cli, store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ok = cli("import", "records", str(SAMPLE), "--force", "Metropolitan", "--format", "json", database=store_url(store))
    assert ok.exit_code == 0, ok.stderr
    assert ok.json()["stored"] == 400 and ok.json()["repairs"] == 2
    bad = cli("import", "records", str(_bad_file(tmp_path, 20, 4)), "--force", "Kent", "--format", "json",
              database=store_url(store))
    assert bad.exit_code == 1
    doc = bad.json()
    assert doc["refused"] and doc["problems"][0]["row"] == 6 and doc["problems"][0]["column"] == "Tactic 1"
    assert "nothing was stored" in bad.stderr
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(source_file)).scalar() == 1


def test_a_report_without_an_incident_date_is_refused_naming_its_row(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "undated.csv", [row(), row(IncidentDate=""), row()])
    with pytest.raises(InputRefused) as refused:
        import_records(store, path, "Metropolitan Police")
    assert [(p.row, p.column, p.message) for p in refused.value.problems if p.severity == "error"] == [
        (3, "IncidentDate", "the incident date is empty")]
    assert counts(store)["officer_report"] == 0


def test_text_as_written_is_kept_exactly_where_it_differs_from_the_form_s_own_spelling(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    written = [
        row(),  # every value in the form's own spelling: nothing raw to keep
        row(Borough="City of Westminster", SubjectAge="2017-11-01 00:00:00", SubjectGender="male",
            SubjectEthnicity="Not reported", StaffInjured="Yes, I was injured as a result of an assault",
            ThreatenedWithWeapon="Kick, Bladed weapon/object", AssaultedWithWeapon="Kick, Sword"),
        row(ThreatenedWithWeapon="Bladed weapon/object, Kick", StaffInjured="Yes"),
    ]
    import_records(store, write_csv(tmp_path / "spellings.csv", written), "Metropolitan Police")
    got = rows_of(store, officer_report.c.borough, officer_report.c.borough_raw, officer_report.c.age_raw,
                  officer_report.c.gender_raw, officer_report.c.ethnicity, officer_report.c.ethnicity_raw,
                  officer_report.c.staff_injured, officer_report.c.staff_injured_raw, officer_report.c.threatened_with_weapon,
                  officer_report.c.assaulted_weapon_mask, officer_report.c.assaulted_with_weapon)
    assert [tuple(r) for r in got] == [
        ("Lambeth", None, None, None, "white", None, "no", None, None, None, None),
        ("Westminster", "City of Westminster", "2017-11-01 00:00:00", "male", "not_reported", "Not reported", "yes",
         "Yes, I was injured as a result of an assault", "Kick, Bladed weapon/object", (1 << 7) | (1 << 10), "Kick, Sword"),
        ("Lambeth", None, None, None, "white", None, "yes", None, None, None, None),
    ]
