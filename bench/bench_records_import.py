"""Import throughput of a simulated national year (2018-19 scale) against Polars' bare CSV parse.

The file is simulated from EXPLICIT SYNTHETIC TARGETS (not the published figures, so the benchmark
runs without the official statistics): 427,725 reports and 23,451 CED reports, the 2018-19 national
totals, spread over the 43 forces by made-up weights. It is cached under bench/results/.

Measured in the same run on the same file:
- baseline: ``polars.read_csv(path, infer_schema=False)`` (every column as text; faster than inferring);
- forcewatch: ``import_records`` into a fresh SQLite file (read, check, normalise, store, commit),
  and into a fresh PostgreSQL database when FORCEWATCH_TEST_POSTGRES_URL is set.
Goal: forcewatch's rows per second at least half the bare parse's on SQLite.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent / "src"))

from forcewatch import forces  # noqa: E402
from forcewatch.recording import import_records  # noqa: E402
from forcewatch.settings import Settings  # noqa: E402
from forcewatch.simulate import write_simulation  # noqa: E402
from forcewatch.simulation_targets import ForceTargets, SimulationTargets, _largest_remainder  # noqa: E402
from forcewatch.store import Store  # noqa: E402

REPORTS, CED = 427_725, 23_451
CED_SHARES = {"drawn": 0.42, "aimed": 0.08, "red_dot": 0.33, "arced": 0.03, "drive_stun": 0.02, "fired": 0.10,
              "angled_drive_stun": 0.005, "not_stated": 0.015}
TACTIC_SHARES = {"handcuffing_compliant": 0.33, "handcuffing_non_compliant": 0.25, "unarmed_skills": 0.24,
                 "ground_restraint": 0.16, "limb_body_restraint": 0.10, "other_improvised": 0.02, "baton_drawn": 0.01,
                 "baton_used": 0.005, "irritant_spray_drawn": 0.01, "irritant_spray_used": 0.01, "spit_bite_guard": 0.02,
                 "shield": 0.005, "dog_deployed": 0.005, "firearms": 0.01, "tactical_communication": 0.55,
                 "not_reported": 0.004}


def synthetic_targets() -> SimulationTargets:
    codes = [a.code for a in forces.forces()]
    weights = {c: (25.0 if c == "E23000001" else 1.0 + (i % 7) / 3) for i, c in enumerate(codes)}
    reports = _largest_remainder(REPORTS, weights)
    ced_total = _largest_remainder(CED, weights)
    built = []
    for c in codes:
        built.append(ForceTargets(c, reports[c], _largest_remainder(ced_total[c], CED_SHARES),
                                  {k: round(v * reports[c]) for k, v in TACTIC_SHARES.items()}))
    return SimulationTargets(
        "2018-19", "SYNTHETIC benchmark targets (2018-19 national totals, made-up split)", tuple(built),
        shares={"age": {"18_34": 0.6, "11_17": 0.08, "35_49": 0.24, "50_64": 0.06, "65_plus": 0.01, "under_11": 0.01},
                "gender": {"male": 0.84, "female": 0.15, "not_reported": 0.01},
                "ethnicity": {"white": 0.7, "black": 0.16, "asian": 0.07, "mixed": 0.04, "other": 0.02, "not_reported": 0.01},
                "health": {"none": 0.8, "mental": 0.15, "physical": 0.03, "physical_and_mental": 0.02}},
        tick_rates={"reason": {"protect_self": 0.6, "protect_public": 0.3, "effect_arrest": 0.5, "prevent_harm": 0.3},
                    "impact_factor": {"alcohol": 0.4, "drugs": 0.2, "weapon": 0.1, "mental_health": 0.15},
                    "outcome": {"arrested": 0.7, "hospitalised": 0.05, "detained_mha": 0.05},
                    "location": {"street_highway": 0.45, "dwelling": 0.25, "custody_block": 0.1, "retail_premises": 0.05}},
    )


def national_file() -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "simulated-national-2018-19.csv"
    if not path.exists():
        started = time.perf_counter()
        write_simulation(synthetic_targets(), path, seed=2018)
        print(f"simulated {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def bare_parse(path: Path) -> float:
    import polars as pl

    started = time.perf_counter()
    frame = pl.read_csv(path, infer_schema=False)
    seconds = time.perf_counter() - started
    assert frame.height == REPORTS
    return seconds


def full_import(url: str, path: Path) -> float:
    store = Store.open(url)
    started = time.perf_counter()
    report = import_records(store, path, settings=Settings(demo=True))
    seconds = time.perf_counter() - started
    assert report.stored == REPORTS, report.summary()
    store.dispose()
    return seconds


def _postgres(path: Path) -> float | None:
    url = os.environ.get("FORCEWATCH_TEST_POSTGRES_URL")
    if not url:
        return None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from forcewatch.settings import normalise_database_url

    admin = create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    name = f"fw_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return full_import(make_url(normalise_database_url(url)).set(database=name).render_as_string(hide_password=False), path)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    path = national_file()
    parse = min(bare_parse(path) for _ in range(2))
    db = RESULTS / "bench-records.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    sqlite = full_import(f"sqlite:///{db}", path)
    pg = _postgres(path)
    result = {
        "benchmark": "records import, simulated national 2018-19 (synthetic targets)",
        "rows": REPORTS, "file_mb": round(path.stat().st_size / 1e6, 1),
        "bare_parse_s": round(parse, 2), "bare_parse_rows_per_s": round(REPORTS / parse),
        "sqlite_import_s": round(sqlite, 2), "sqlite_rows_per_s": round(REPORTS / sqlite),
        "ratio_sqlite": round(parse / sqlite, 3), "goal_ratio": 0.5,
        "postgresql_import_s": round(pg, 2) if pg else None,
        "postgresql_rows_per_s": round(REPORTS / pg) if pg else None,
        "ratio_postgresql": round(parse / pg, 3) if pg else None,
    }
    (RESULTS / "records_import.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
