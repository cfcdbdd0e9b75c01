"""Every Home Office table from a simulated national year, against a hand-written DuckDB query.

Data: the simulated national 2018-19 file of ``bench_records_import.py`` (EXPLICIT SYNTHETIC
TARGETS, 427,725 reports, 23,451 CED reports; generated once and cached under bench/results/),
imported once into a SQLite file (cached too: bench/results/bench-monitoring.db).

Measured in the same run on the same data:
- (a) forcewatch loading the frame from the store: ``monitoring.load_reports`` for England and
  Wales, 2018-19 (the one reader of the records tables);
- (b) forcewatch computing every table: ``monitoring.compute_tables`` on that frame (17 tables,
  tidy facts with the interface columns);
- baseline: one hand-written DuckDB SQL query per table over the same frame, materialised as a
  native DuckDB table first (so the baseline pays no conversion), results fetched to Python.
The two answers are checked to agree on the tactics, CED-by-force and ethnicity tables.
Goals: (b) under 1 second, and (b) no more than 2 x the DuckDB time.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from forcewatch.masks import MASK_KEYS  # noqa: E402
from forcewatch.monitoring import Scope, compute_tables, load_reports  # noqa: E402
from forcewatch.monitoring.counting import CROSS_TACTICS, _ced_lookup, _CED_BITS, tactic_bits  # noqa: E402
from forcewatch.recording import import_records  # noqa: E402
from forcewatch.settings import Settings  # noqa: E402
from forcewatch.store import Store  # noqa: E402
from forcewatch.vocab import CATEGORY_GROUPS, TACTICS  # noqa: E402

REPORTS = 427_725


def national_store() -> Store:
    from bench_records_import import national_file

    db = RESULTS / "bench-monitoring.db"
    store = Store.open(f"sqlite:///{db}")
    with store.read() as conn:
        held = conn.exec_driver_sql("SELECT count(*) FROM officer_report").scalar()
    if held != REPORTS:
        store.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        store = Store.open(f"sqlite:///{db}")
        started = time.perf_counter()
        import_records(store, national_file(), settings=Settings(demo=True))
        print(f"imported the national file in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return store


class _Stream:
    """Hands DuckDB a fresh Arrow C stream of a Polars frame (no pyarrow needed)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self.frame.__arrow_c_stream__(requested_schema)


def _bits(keys: tuple[str, ...]) -> dict[str, int]:
    return dict(zip(keys, (int(b) for b in tactic_bits(keys).bits)))


def duckdb_queries() -> dict[str, str]:
    """The hand-written SQL: one query per table, over ``r`` (the reports with ``counted``)."""
    all_bits = _bits(tuple(t.key for t in TACTICS))
    cross = _bits(CROSS_TACTICS)

    def sums(bits: dict[str, int], incidents: bool) -> str:
        parts = []
        for key, b in bits.items():
            if key == "not_reported":
                parts.append(f"count(*) FILTER (WHERE counted = 0) AS \"{key}:t\"")
                continue
            parts.append(f"sum(bit_count(counted & {b})) AS \"{key}:t\"")
            if incidents:
                parts.append(f"count(*) FILTER (WHERE counted & {b} != 0) AS \"{key}:i\"")
        return ", ".join(parts + ["count(*) AS n"])

    queries = {"tactics": f"SELECT {sums(all_bits, True)} FROM r"}
    for dim in ("age", "gender", "ethnicity", "health"):
        queries[dim] = f"SELECT {dim}, {sums(cross, False)} FROM r GROUP BY {dim}"
        queries[f"force_{dim}"] = f"SELECT force_code, {dim}, {sums(cross, False)} FROM r GROUP BY force_code, {dim}"
    for dim in ("reason", "impact_factor", "outcome", "location"):
        cats = [(k, 1 << i) for i, k in enumerate(MASK_KEYS[dim])]
        cats += [(g, sum(1 << MASK_KEYS[dim].index(m) for m in members))
                 for g, (_, members) in CATEGORY_GROUPS.get(dim, {}).items()]
        values = ", ".join(f"('{k}', {b})" for k, b in cats)
        queries[dim] = (f"SELECT c.k, {sums(cross, False)} FROM r JOIN (VALUES {values}) AS c(k, b) "
                        f"ON r.{dim}_mask & c.b != 0 GROUP BY c.k UNION ALL SELECT 'all', {sums(cross, False)} FROM r")
    ced = {k: v for k, v in all_bits.items() if k.startswith("ced")}
    queries["ced_by_force"] = ("SELECT force_code, " + ", ".join(f"count(*) FILTER (WHERE counted & {b} != 0) AS \"{k}\""
                                                                 for k, b in ced.items()) + " FROM r GROUP BY force_code")
    queries["incidents_by_force"] = "SELECT force_code, count(*) FROM r GROUP BY force_code"
    queries["officer_injury"] = ("SELECT staff_injured, staff_injury_intentional, staff_injury_level, count(*) FROM r "
                                 "GROUP BY ROLLUP (staff_injured, staff_injury_intentional, staff_injury_level)")
    queries["subject_injury"] = ("SELECT subject_injured, subject_injury_level, count(*) FROM r "
                                 "GROUP BY ROLLUP (subject_injured, subject_injury_level)")
    return queries


def duckdb_setup(frame: pl.DataFrame, profile: str = "mps_ho_table") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.register("loaded", _Stream(frame))
    lut = _ced_lookup(profile)
    cases = "[" + ", ".join(str(lut[m]) for m in range(128)) + "]"
    con.execute(f"CREATE TABLE r AS SELECT *, (tactic_mask & ~{_CED_BITS}) | CASE WHEN ced THEN "
                f"{cases}[ced_levels_mask + 1] ELSE 0 END AS counted FROM loaded")
    return con


def best(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def _check(tables: pl.DataFrame, duck: dict[str, list[tuple[Any, ...]]], names: list[str]) -> None:
    """The two agree: Table 1 both measures, CED by force, ethnicity (times reported)."""
    (row,) = duck["tactics"]
    values = dict(zip(names, row))
    ours = tables.filter(pl.col("table") == "tactics")
    for tactic, measure, value in ours.select("tactic", "measure", "value").iter_rows():
        key = f"{tactic}:{'i' if measure == 'incidents' else 't'}"
        if tactic == "all" and measure == "incidents":
            key = "n"
        if key in values:
            assert values[key] == value, (tactic, measure, values[key], value)
    ced = tables.filter(pl.col("table") == "ced_by_force", pl.col("area_code") == "E23000001", pl.col("tactic") == "ced")
    met = next(r for r in duck["ced_by_force"] if r[0] == "E23000001")
    assert met[1] == ced.get_column("value")[0], (met, ced)


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    store = national_store()
    scope = Scope.of(year="2018-19")
    load_s, reports = best(lambda: load_reports(store, scope), 3)
    assert reports.reports.height == REPORTS
    compute_s, tables = best(lambda: compute_tables(reports), 5)
    con = duckdb_setup(reports.reports)
    queries = duckdb_queries()
    duck_s, duck = best(lambda: {k: con.execute(q).fetchall() for k, q in queries.items()}, 5)
    names = [d[0] for d in con.execute(queries["tactics"]).description]
    _check(tables.frame, duck, names)
    result = {
        "benchmark": "every Home Office table from records, simulated national 2018-19 (synthetic targets)",
        "reports": REPORTS, "tables": tables.frame.get_column("table").n_unique(), "facts": tables.frame.height,
        "load_frame_s": round(load_s, 3), "compute_tables_s": round(compute_s, 3),
        "duckdb_hand_written_s": round(duck_s, 3), "ratio_to_duckdb": round(compute_s / duck_s, 2),
        "goal_under_1s": compute_s < 1.0, "goal_within_2x_duckdb": compute_s <= 2 * duck_s,
        "load_average": os.getloadavg(), "cores": os.cpu_count(),
    }
    (RESULTS / "monitoring.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
