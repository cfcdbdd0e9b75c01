"""Run every benchmark in bench/ (each module named bench_*.py with a ``main()``).

``bench/run.py [NAME ...] [--quick]``: the named benchmarks (default all); options are passed on
through ``sys.argv`` (``bench_web_load.py`` reads ``--quick`` and ``--no-cache``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str]) -> int:
    wanted = {a for a in argv if not a.startswith("--")}  # options (--quick) are read by the benchmarks
    modules = sorted(HERE.glob("bench_*.py"))
    if not modules:
        print("no benchmarks yet", file=sys.stderr)
        return 0
    for path in modules:
        if wanted and path.stem not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
