"""Benchmark: the web app under load on loopback, against a static file from the same server.

Builds the demo database (cached as ``bench/results/bench-web.db``), starts ``forcewatch serve``
(uvicorn, one process) on a free loopback port in demo mode, and drives it with ``wrk`` (Debian:
``apt-get install wrk``) at 50 concurrent connections for 60 s per target (``--quick``: 10 s):

- the national dashboard's JSON (``/national.json``);
- a public page: ``/public`` when the public site exists, else the public assaults funnel page;
- **baseline**: ``/static/forcewatch.css``, a static file served by the same process.

Each target gets one warm-up request first (the page cache, ``forcewatch.web.cache``, then holds
it until the data changes). Reported per target: p50 and p99 latency, requests per second,
non-2xx answers and socket errors; the ratio is the page's throughput over the static file's.
Goal: p99 under 100 ms. ``--no-cache`` measures with ``FORCEWATCH_PAGE_CACHE=0`` (before).
Results go to ``bench/results/web-load.json``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results"
FORCEWATCH = Path(sys.executable).parent / "forcewatch"
CONNECTIONS = 50
GOAL_P99_MS = 100.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _demo_database() -> Path:
    RESULTS.mkdir(exist_ok=True)
    db = RESULTS / "bench-web.db"
    if not db.exists():
        print("building the demo database (about 20 s) ...", flush=True)
        subprocess.run([str(FORCEWATCH), "--database", f"sqlite:///{db}", "demo", "--no-serve"], check=True,
                       cwd=RESULTS, stdout=subprocess.DEVNULL)
    return db


def _get(url: str, timeout: float = 120) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _wrk(url: str, seconds: int) -> dict[str, float]:
    out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s", url],
                         check=True, capture_output=True, text=True).stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "p50_ms": round(_ms(latency["50"]), 2),
        "p99_ms": round(_ms(latency["99"]), 2),
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


def _load_average() -> float:
    return round(os.getloadavg()[0], 2)


def main(argv: list[str] | None = None) -> dict[str, object]:
    args = sys.argv[1:] if argv is None else argv
    seconds = 10 if "--quick" in args else 60
    cache = "--no-cache" not in args
    if shutil.which("wrk") is None:
        print("bench_web_load: wrk is not installed (Debian: apt-get install wrk); skipped", file=sys.stderr)
        return {}
    db = _demo_database()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "FORCEWATCH_DEMO": "true", "FORCEWATCH_SECURE_COOKIES": "false",
           "FORCEWATCH_PAGE_CACHE": "1" if cache else "0"}
    server = subprocess.Popen([str(FORCEWATCH), "--database", f"sqlite:///{db}", "serve", "--port", str(port)],
                              env=env, cwd=RESULTS, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if _get(base + "/static/forcewatch.css", timeout=2) == 200:
                    break
            except OSError:
                time.sleep(0.2)
        public = "/public" if _get(base + "/public") == 200 else "/assaults/funnel/public"
        targets = {"static file (baseline)": "/static/forcewatch.css", "national dashboard JSON": "/national.json",
                   "public page": public}
        report: dict[str, object] = {"seconds": seconds, "connections": CONNECTIONS, "page_cache": cache,
                                     "load_average_start": _load_average(), "targets": {}}
        for name, path in targets.items():
            assert _get(base + path) == 200, path  # warm-up, and the page exists
            result = _wrk(base + path, seconds)
            report["targets"][name] = {"path": path, **result}  # type: ignore[index]
        report["load_average_end"] = _load_average()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    static = report["targets"]["static file (baseline)"]["requests_per_s"]  # type: ignore[index]
    print(f"\nweb load: {CONNECTIONS} connections, {seconds} s per target, page cache {'on' if cache else 'off'}, "
          f"load average {report['load_average_start']} -> {report['load_average_end']}")
    print(f"{'target':<26} {'path':<24} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>9} {'ratio':>6} {'non-2xx':>7} {'errors':>6}")
    for name, r in report["targets"].items():  # type: ignore[attr-defined]
        ratio = r["requests_per_s"] / static if static else float("nan")
        r["ratio_to_static"] = round(ratio, 3)
        r["p99_goal_met"] = r["p99_ms"] < GOAL_P99_MS
        print(f"{name:<26} {r['path']:<24} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['requests_per_s']:>9.0f} "
              f"{ratio:>6.2f} {r['non_2xx']:>7} {r['socket_errors']:>6}")
    name = "web-load.json" if cache else "web-load-no-cache.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
