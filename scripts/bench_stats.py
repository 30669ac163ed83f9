"""Benchmark of `ocop stats` (issues 4, 17): the same question on an empty database and on the national one.

    .venv/bin/python scripts/bench_stats.py [--rows 36000] [--keep]

Builds a temporary SQLite database (migrations + administrative units + classifications), then times
`ocop stats --province "Thái Nguyên" --as-of 2026-06-30 --json` as a user runs it (a fresh process, Django
start-up included; median of 5) and ``unit_stats`` in process (median of 7): first on the empty database,
then after importing the national history list (``ocop.demo.national``: 36,000 rows, 20,000+ products,
both generations). The national database must answer in at most twice the empty one's time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVINCE = "Thái Nguyên"
AS_OF = dt.date(2026, 6, 30)


def as_a_process(urls: dict[str, str]) -> dict[str, float]:
    """Median wall time (ms) of `ocop stats` per database, runs alternating between them after a warm-up
    run each (the machine's drift hits both alike)."""
    command = [str(ROOT / ".venv/bin/ocop"), "stats", "--province", PROVINCE, "--as-of", AS_OF.isoformat()]
    walls: dict[str, list[float]] = {name: [] for name in urls}
    for run in range(6):
        for name, url in urls.items():
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.prod", "DATABASE_URL": url}
            started = time.perf_counter()
            done = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True, check=False)  # noqa: S603
            if done.returncode:
                raise SystemExit(done.stderr)
            if run:  # the first run of each warms the caches
                walls[name].append(time.perf_counter() - started)
    return {name: statistics.median(times) * 1000 for name, times in walls.items()}


def in_process() -> tuple[float, dict]:
    from ocop.geography.resolver import UnitResolver
    from ocop.targets.selectors import unit_stats

    province = UnitResolver().resolve_province(PROVINCE, generation="2025")
    unit_stats(province, AS_OF)  # warm-up
    timings, result = [], {}
    for _ in range(7):
        started = time.perf_counter()
        result = unit_stats(province, AS_OF)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=36_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and print its path")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ocop-bench-stats-"))
    db_path = workdir / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("OCOP_VAR_DIR", str(workdir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_admin_units", verbosity=0)
    call_command("load_product_classifications", verbosity=0)
    print(f"database ready in {time.perf_counter() - started:.1f} s: {db_path}")

    import sqlite3

    empty_path = workdir / "empty.sqlite3"
    with sqlite3.connect(db_path) as source, sqlite3.connect(empty_path) as target:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")  # as the national database (and both analysed)
        target.execute("ANALYZE")
    empty_compute, _ = in_process()

    from ocop.demo.national import LAST_DAY, national_history
    from ocop.imports.services.importing import import_apply

    started = time.perf_counter()
    history = national_history(rows=args.rows)
    outcome = import_apply(
        data=history.csv_bytes(), file_name="quoc-gia.csv", today=max(LAST_DAY, dt.date.today())
    )
    if not outcome.stored:
        raise SystemExit(f"import refused: {[e.text for e in outcome.errors[:5]]}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    print(
        f"imported {len(history.rows)} rows, {outcome.created_products} products in "
        f"{time.perf_counter() - started:.1f} s"
    )
    national_compute, result = in_process()
    walls = as_a_process({"empty": f"sqlite:///{empty_path}", "national": f"sqlite:///{db_path}"})
    empty_process, national_process = walls["empty"], walls["national"]
    print(
        f"  {PROVINCE} as of {AS_OF}: recognized_total={result['recognized_total']} "
        f"by_star={result['by_star']} "
        f"communes_with_products={result['communes_with_products']}/{result['communes_total']}"
    )
    products = outcome.created_products
    print(f"BENCH sqlite stats unit_stats in process, empty database median: {empty_compute:.0f} ms")
    print(f"BENCH sqlite stats unit_stats in process, national database ({products} products) median: "
          f"{national_compute:.0f} ms")  # fmt: skip
    print(f"BENCH sqlite `ocop stats` as a process, empty database median: {empty_process:.0f} ms")
    verdict = "PASS" if national_process < 500 else "FAIL"
    print(
        f"BENCH sqlite `ocop stats` as a process, national database ({products} products) median: "
        f"{national_process:.0f} ms   [target < 500 ms] {verdict}"
    )
    ratio = national_process / empty_process
    print(
        f"BENCH sqlite `ocop stats` national ÷ empty database: {ratio:.2f}×   [target ≤ 2×] "
        f"{'PASS' if ratio <= 2 else 'FAIL'}"
    )
    if args.keep:
        print(f"kept: {db_path}")
        return
    for path in workdir.iterdir():
        path.unlink()
    workdir.rmdir()


if __name__ == "__main__":
    main()
