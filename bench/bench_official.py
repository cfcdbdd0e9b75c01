"""Benchmark: importing every bundled official file, against reading the same files bare.

Baseline (same run, same files): python-calamine reading every sheet of every workbook into Python
lists (and the CSV module reading the census file), which is the least any importer must do.
forcewatch is measured twice: reading, recognising and checking the publications
(``importers.read_publication``), and the whole import into a fresh SQLite database
(``official.import_files``: read, check, store). Each is the best of ``ROUNDS`` runs; the ratios
are the verdict, so a faster or slower machine does not change it. Goal: the whole import within
50 times the bare read (set after the first measurement: the
import is Python code over a reader written in Rust, and takes about 2 s for all bundled files).
"""

from __future__ import annotations

import csv
import json
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from forcewatch import official
from forcewatch.importers import read_publication
from forcewatch.store import Store

ROUNDS = 3
GOAL = 50.0


def _best(fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _bare_read(files: list[Path]) -> int:
    cells = 0
    for path in files:
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8-sig") as fh:
                cells += sum(len(r) for r in csv.reader(fh))
            continue
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            cells += sum(len(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return cells


def _read(files: list[Path]) -> int:
    return sum(len(read_publication(p).facts) for p in files)


def _import(files: list[Path]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        stored = sum(r.facts_stored for r in official.import_files(store, files))
        store.dispose()
    return stored


def main() -> None:
    files = official.bundled_files()
    cells, facts = _bare_read(files), _read(files)
    baseline = _best(lambda: _bare_read(files))
    read = _best(lambda: _read(files))
    whole = _best(lambda: _import(files))
    result = {
        "benchmark": "bench_official", "files": len(files), "cells_read": cells, "facts": facts,
        "baseline_bare_read_s": round(baseline, 3), "forcewatch_read_and_check_s": round(read, 3),
        "forcewatch_import_sqlite_s": round(whole, 3),
        "ratio_read": round(read / baseline, 1), "ratio_import": round(whole / baseline, 1), "goal_ratio": GOAL,
        "verdict": "ok" if whole / baseline <= GOAL else "slower than the goal",
    }
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "bench_official.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
