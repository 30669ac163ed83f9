#!/usr/bin/env python
"""Time limits of single operations, which tests used to assert with a stopwatch (they failed whenever the
shared machine was loaded; the tests now check what the operations do, this script how long they take).

    .venv/bin/python scripts/bench_limits.py [--postgres] [--runs 3]

Builds a fresh database (`ocop migrate`, no reference data; SQLite, or with --postgres a throw-away
PostgreSQL cluster from scripts/pg_cluster.py), then, in this process with the production settings:
  1. the administrative units (`load_admin_units`) loaded into the empty database (target < 10 s), then
     loaded again, changing nothing (target < 5 s);
  2. hostile uploads refused by `ocop import-products`: a 400 MB zip bomb and a 1,000,000-column CSV
     (target < 2 s each, best of --runs).
The 1,000-label sheet (< 5 s) is in scripts/bench_stamps.py. One line per figure, prefixed `BENCH `
(collected by scripts/bench.py).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
from contextlib import ExitStack, redirect_stderr, redirect_stdout
from pathlib import Path

from bench_setup import bench_workdir, empty_database_url, production_env

ROOT = Path(__file__).resolve().parent.parent
FRESH_LOAD_S = 10
RERUN_S = 5
REFUSAL_S = 2


def line(database: str, name: str, value: str, ok: bool) -> None:
    print(f"BENCH {database} limits {name}: {value}  {'PASS' if ok else 'FAIL'}", flush=True)


def units(database: str) -> None:
    from ocop.geography.loader import load_admin_units

    started = time.perf_counter()
    counts = load_admin_units()
    fresh = time.perf_counter() - started
    created = counts["created"]
    line(database, f"admin units, fresh load ({created:,} units)", f"{fresh:.1f} s", fresh < FRESH_LOAD_S)
    started = time.perf_counter()
    again = load_admin_units()
    rerun = time.perf_counter() - started
    unchanged = again["created"] == again["updated"] == 0
    ok = rerun < RERUN_S and unchanged
    line(database, "admin units, loaded again (changes nothing)", f"{rerun:.1f} s", ok)


def refusal(database: str, name: str, path: Path, expected: str, runs: int) -> None:
    """Best of ``runs`` of `ocop import-products` refusing the file (its own report says why)."""
    from ocop.imports.tests.helpers import run_import

    best = float("inf")
    message = ""
    for _run in range(runs):
        started = time.perf_counter()
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            code, report = run_import(path)
        best = min(best, time.perf_counter() - started)
        message = report["errors"][0]["message"] if report and report["errors"] else ""
        if code == 0:
            message = "(accepted!)"
    size = path.stat().st_size / 1e6
    refused = expected in message
    line(database, f"{name} refused ({size:.1f} MB file)", f"{best:.2f} s", best < REFUSAL_S and refused)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    database = "postgres" if args.postgres else "sqlite"
    with ExitStack() as stack:
        workdir = bench_workdir(stack, keep=None, prefix="bench-limits-")
        os.environ.update(production_env(empty_database_url(stack, workdir, postgres=args.postgres), workdir))
        ocop = [sys.executable, "-m", "ocop.cli"]
        subprocess.run([*ocop, "migrate", "-v", "0"], cwd=ROOT, check=True, capture_output=True)  # noqa: S603
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from ocop.imports.tests.helpers import write_wide_csv, write_zip_bomb

        units(database)
        bomb = write_zip_bomb(workdir / "bom.xlsx", inflated_mb=400)
        refusal(database, "zip bomb (400 MB inflated)", bomb, "bom zip", args.runs)
        wide = write_wide_csv(workdir / "rong.csv", columns=1_000_000)
        refusal(database, "1,000,000-column CSV", wide, "quá nhiều cột", args.runs)


if __name__ == "__main__":
    main()
