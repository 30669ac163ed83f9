#!/usr/bin/env python
"""Benchmark of `ocop import-products` (issue 17): the national history list vs a bare sqlite3 executemany.

    .venv/bin/python scripts/bench_import.py [--rows 36000] [--keep DIR] [--postgres]

Builds a fresh database (`ocop init`: reference data only; SQLite, or with --postgres a throw-away
PostgreSQL cluster from scripts/pg_cluster.py), generates the national recognition history with a fixed
seed (``ocop.demo.national.national_history``: 36,000 rows, 20,000+ products, rows before 01/07/2025
naming the 63 old provinces and later rows the 34 new ones), writes it as CSV and as XLSX, then measures:
  * the bare baseline: sqlite3 executemany of the same rows (14 text columns) into an empty table + commit
    (best of 3);
  * the floor of the writes (SQLite): the rows the CSV import stored, copied by SQLite itself with
    INSERT … SELECT into a fresh initialised database with the import's index deferral, and the same rows
    written with a bare executemany per table from Python;
  * per format, in a separate process on its own copy of the fresh database: the import (read + check +
    plan + write + certificates + listing, wall time), the re-import of the same file (nothing to write),
    the process's peak RSS (Django included) and the part spent refreshing the public listing; after the
    CSV import, every old province (as of 30/06/2025) and new province (as of the list's last day) is
    counted with ``unit_stats`` and compared with the generator's own count of the file;
  * a 12-row file imported into the national database and into an empty one (fresh copies, best of 5):
    the cost must follow the file, not the database.
One line per figure and ratio ("name: value").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_ROWS = 12
SMALL_RUNS = 5


def setup_django(url: str, var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    os.environ.setdefault("OCOP_VAR_DIR", str(var_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def national(rows: int):
    from ocop.demo.national import national_history

    return national_history(rows=rows)


def small_rows() -> list[list[str]]:
    """12 new products in Bắc Kạn communes, recognised in 2024 (names no national product has)."""
    from ocop.geography.models import AdminUnit, Generation, Level

    communes = list(
        AdminUnit.objects.filter(level=Level.COMMUNE, generation=Generation.LEGACY, province__code="06")
        .order_by("code")
        .values_list("name", "parent__name")[:SMALL_ROWS]
    )
    return [
        [str(i), f"Sản phẩm đo thử {i}", f"HTX Đo thử {i}", "HTX", "", commune, district, "Tỉnh Bắc Kạn", "I",
         "3", "", f"{i}/QĐ-ĐT", "15/03/2024", "Công nhận mới"]
        for i, (commune, district) in enumerate(communes, start=1)
    ]  # fmt: skip


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    from ocop.demo.national import HEADER

    day = HEADER.index("Ngày quyết định")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN"])
    sheet.append([])
    sheet.append(HEADER)
    for line in rows:
        cells = list(line)
        cells[day] = dt.datetime.strptime(line[day], "%d/%m/%Y")  # real Excel dates
        sheet.append(cells)
    workbook.save(path)


def bare_executemany(path: Path, rows: list[list[str]]) -> float:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    width = len(rows[0])
    columns = ", ".join(f"c{i} TEXT" for i in range(width))
    connection.execute(f"CREATE TABLE bench ({columns})")
    connection.commit()
    placeholders = ", ".join("?" * width)
    started = time.perf_counter()
    connection.executemany(f"INSERT INTO bench VALUES ({placeholders})", rows)  # noqa: S608 — the benchmark baseline: its own table and placeholders
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


WRITTEN_TABLES = (
    "producers_entity",
    "products_product",
    "certification_recognitionevent",
    "certification_certificate",
    "portal_portallisting",  # its FTS5 index is filled by its triggers
)


def sql_floor(workdir: Path, imported: Path, *, from_python: bool = False) -> float:
    """The writes alone: the rows an import stored, written into a fresh copy of the initialised database
    with the import's own index deferral (plain indexes dropped, rows inserted, indexes created again; the
    listing's FTS index rebuilt in one go) and its journal settings; best of 3.

    By SQLite itself (INSERT … SELECT from the imported database): no importer writing these tables with
    these indexes can take less. ``from_python``: the same rows read into Python lists first and written
    with a bare executemany per table, like the baseline — what any Python importer pays to hand these
    rows to SQLite, before reading, checking or building a single one."""
    rows_by_table = {}
    if from_python:
        source = sqlite3.connect(imported)
        rows_by_table = {t: source.execute(f'SELECT * FROM "{t}"').fetchall() for t in WRITTEN_TABLES}  # noqa: S608 — table names from the fixed WRITTEN_TABLES list
        source.close()
    best = float("inf")
    for _ in range(3):
        target = workdir / "floor.sqlite3"
        for leftover in workdir.glob("floor.sqlite3*"):
            leftover.unlink()
        source = sqlite3.connect(workdir / "pristine.sqlite3")
        copy = sqlite3.connect(target)
        source.backup(copy)
        source.close()
        copy.close()
        connection = sqlite3.connect(target, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("ATTACH DATABASE ? AS imported", [str(imported)])
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        # As the listing refresh does for a bulk write: FTS insert/delete triggers off, one rebuild after.
        triggers = connection.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' "
            "AND name IN ('portal_listing_fts_ai', 'portal_listing_fts_ad')"
        ).fetchall()
        for name, _sql in triggers:
            connection.execute(f'DROP TRIGGER main."{name}"')
        for table in WRITTEN_TABLES:
            indexes = connection.execute(
                "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql LIKE 'CREATE INDEX %'",
                [table],
            ).fetchall()
            for name, _sql in indexes:
                connection.execute(f'DROP INDEX main."{name}"')
            if from_python:
                rows = rows_by_table[table]
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    connection.executemany(f'INSERT INTO main."{table}" VALUES ({marks})', rows)  # noqa: S608 — table names from the fixed WRITTEN_TABLES list
            else:
                connection.execute(f'INSERT INTO main."{table}" SELECT * FROM imported."{table}"')  # noqa: S608 — table names from the fixed WRITTEN_TABLES list
            for _name, sql in indexes:
                connection.execute(sql)
        if triggers:
            connection.execute("INSERT INTO main.portal_listing_fts(portal_listing_fts) VALUES ('rebuild')")
            for _name, sql in triggers:
                connection.execute(sql)
        connection.execute("COMMIT")
        best = min(best, time.perf_counter() - started)
        connection.close()
    for leftover in workdir.glob("floor.sqlite3*"):
        leftover.unlink()
    return best


def write_csv(path: Path, rows: list[list[str]]) -> None:
    from ocop.demo.national import HEADER

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN"])
        writer.writerow([])
        writer.writerow(HEADER)
        writer.writerows(rows)


def child(path: Path, expected_path: str | None, once: bool) -> None:
    """Run in a separate process: import a file (twice unless ``once``) into the database of DATABASE_URL;
    with ``expected_path``, compare every province's counts with the generator's; print JSON."""
    setup_django(os.environ["DATABASE_URL"], path.parent)
    from ocop.imports.services.importing import import_apply
    from ocop.portal.services import listing as portal

    listing = {"seconds": 0.0}
    refresh = portal.listing_refresh

    def timed_refresh(**kwargs):  # the portal's read model, refreshed from the import's signal
        started = time.perf_counter()
        try:
            return refresh(**kwargs)
        finally:
            listing["seconds"] += time.perf_counter() - started

    portal.listing_refresh = timed_refresh
    data = path.read_bytes()
    today = dt.date(2026, 12, 31)
    started = time.perf_counter()
    outcome = import_apply(data=data, file_name=path.name, today=max(today, dt.date.today()))
    elapsed = time.perf_counter() - started
    if not outcome.stored:
        raise SystemExit(f"import refused: {[e.text for e in outcome.errors[:5]]}")
    result = {
        "import": elapsed,
        "listing": listing["seconds"],
        "events": outcome.events,
        "created_products": outcome.created_products,
        "warnings": len(outcome.warnings),
    }
    del outcome  # (an import's memory is measured, not two held at once)
    if not once:
        started = time.perf_counter()
        again = import_apply(data=data, file_name=path.name, today=max(today, dt.date.today()))
        result["reimport"] = time.perf_counter() - started
        if again.events:
            raise SystemExit("the re-import stored events again")
    if expected_path:
        result["provinces"], result["agree"] = compare_counts(json.loads(Path(expected_path).read_text()))
    print(json.dumps(result))


def compare_counts(expected: dict) -> tuple[int, int]:
    """(provinces compared, provinces whose recognised products and stars equal the file's own count)."""
    from ocop.geography.models import AdminUnit, Level
    from ocop.targets.selectors import unit_stats

    compared = agree = 0
    for generation, (as_of, counts) in expected.items():
        for province in AdminUnit.objects.filter(level=Level.PROVINCE, generation=generation):
            stats = unit_stats(province, dt.date.fromisoformat(as_of))
            found = {
                "recognized_total": stats["recognized_total"],
                "by_star": {star: n for star, n in stats["by_star"].items() if n},
            }
            compared += 1
            agree += found == counts.get(province.code, {"recognized_total": 0, "by_star": {}})
    return compared, agree


def run_child(
    path: Path, url: str, workdir: Path, *, expected: Path | None = None, once: bool = False
) -> dict:
    """Run `child` in a new process; its result and its own peak RSS (os.wait4 reports the child's rusage)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "OCOP_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    }
    out_path, err_path = workdir / "child.out", workdir / "child.err"
    with out_path.open("w") as out, err_path.open("w") as err:
        argv = [sys.executable, __file__, "--child", str(path)]
        argv += ["--expected", str(expected)] if expected else []
        argv += ["--once"] if once else []
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    output, errors = out_path.read_text(), err_path.read_text()
    out_path.unlink()
    err_path.unlink()
    if proc.returncode:
        raise SystemExit(f"{path.name}: {errors[-3000:]}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    return result


class Databases:
    """A fresh database per run: copies of one initialised SQLite file, or PostgreSQL databases created
    from an initialised template."""

    def __init__(self, workdir: Path, postgres_url: str | None) -> None:
        self.workdir = workdir
        self.postgres_url = postgres_url
        self.pristine = self.url("pristine")

    def url(self, name: str) -> str:
        if self.postgres_url:
            return self.postgres_url.rsplit("/", 1)[0] + f"/bench_{name}"
        return f"sqlite:///{self.workdir / (name + '.sqlite3')}"

    def init(self, ocop: list[str]) -> None:
        if self.postgres_url:
            self._pg("CREATE DATABASE bench_pristine")
        env = {
            **os.environ,
            "DATABASE_URL": self.pristine,
            "OCOP_VAR_DIR": str(self.workdir),
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        }
        subprocess.run([*ocop, "init"], env=env, cwd=ROOT, check=True, capture_output=True)

    def copy(self, name: str, source_name: str = "pristine") -> str:
        if self.postgres_url:
            self._pg(f"DROP DATABASE IF EXISTS bench_{name}")
            self._pg(f"CREATE DATABASE bench_{name} TEMPLATE bench_{source_name}")
        else:
            target = self.workdir / f"{name}.sqlite3"
            for leftover in self.workdir.glob(f"{name}.sqlite3*"):
                leftover.unlink()
            source = sqlite3.connect(self.workdir / f"{source_name}.sqlite3")
            copy = sqlite3.connect(target)
            source.backup(copy)
            copy.close()
            source.close()
        return self.url(name)

    def _pg(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            self.postgres_url.replace("postgres://", "postgresql://", 1), autocommit=True
        ) as conn:
            conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=36_000)
    parser.add_argument("--keep", help="keep the database and files in this directory")
    parser.add_argument("--postgres", action="store_true", help="import into a throw-away PostgreSQL cluster")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--expected", help=argparse.SUPPRESS)
    parser.add_argument("--once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    # No connection pool: the pristine database is the template of every run, and CREATE DATABASE …
    # TEMPLATE refuses while a pooled connection to it is still open.
    os.environ.setdefault("OCOP_DB_POOL", "0")
    if args.child:
        child(Path(args.child), args.expected, args.once)
        return
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="ocop-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for leftover in workdir.glob("*.sqlite3*"):
        leftover.unlink()
    ocop = [sys.executable, "-c", "from ocop.cli import main; main()"]
    with ExitStack() as stack:
        postgres_url = None
        if args.postgres:
            sys.path.insert(0, str(ROOT / "scripts"))
            from pg_cluster import TempPostgres

            postgres_url = stack.enter_context(TempPostgres(quiet=True)).url
        databases = Databases(workdir, postgres_url)
        databases.init(ocop)
        setup_django(databases.pristine, workdir)
        from ocop.demo.national import BEFORE_MERGER, LAST_DAY
        from ocop.geography.models import Generation

        history = national(args.rows)
        rows = history.rows
        small = small_rows()
        expected = workdir / "expected.json"
        expected.write_text(
            json.dumps(
                {
                    Generation.LEGACY: [
                        str(BEFORE_MERGER),
                        history.expected(generation="2019", as_of=BEFORE_MERGER),
                    ],
                    Generation.REFORM_2025: [
                        str(LAST_DAY),
                        history.expected(generation="2025", as_of=LAST_DAY),
                    ],
                }
            )
        )
        from django.db import connections

        connections.close_all()  # the pristine database is the template of every run
        files = {"csv": workdir / "quoc-gia.csv", "xlsx": workdir / "quoc-gia.xlsx"}
        write_csv(files["csv"], rows)
        write_xlsx(files["xlsx"], rows)
        small_file = workdir / "12-dong.csv"
        write_csv(small_file, small)
        print(f"database: {'postgresql' if postgres_url else 'sqlite'}")
        print(f"rows: {len(rows)}")
        print(f"products_in_file: {len(history.products)}")
        print(f"old_provinces_in_file: {len(history.provinces('2019'))}")
        print(f"new_provinces_in_file: {len(history.provinces('2025'))}")
        baseline = min(bare_executemany(workdir / f"bare-{i}.sqlite3", rows) for i in range(3))
        print(f"executemany_seconds: {baseline:.4f}")
        for kind, path in files.items():
            result = run_child(
                path, databases.copy(kind), workdir, expected=expected if kind == "csv" else None
            )
            print(f"{kind}_bytes: {path.stat().st_size}")
            print(f"{kind}_events: {result['events']}")
            print(f"{kind}_created_products: {result['created_products']}")
            print(f"{kind}_warnings: {result['warnings']}")
            print(f"{kind}_import_seconds: {result['import']:.3f}")
            print(f"{kind}_ratio_import_to_executemany: {result['import'] / baseline:.1f}")
            print(f"{kind}_of_which_portal_listing_refresh_seconds: {result['listing']:.3f}")
            print(f"{kind}_peak_rss_mb: {result['peak_rss_mb']:.0f}")
            print(f"{kind}_reimport_seconds: {result['reimport']:.3f}")
            print(f"{kind}_ratio_reimport_to_executemany: {result['reimport'] / baseline:.1f}")
            if "agree" in result:
                print(f"{kind}_provinces_counted: {result['provinces']}")
                print(f"{kind}_provinces_agreeing_with_the_file: {result['agree']}")
            if kind == "csv" and not postgres_url:
                floor = sql_floor(workdir, workdir / "csv.sqlite3")
                print(f"sql_writes_floor_seconds: {floor:.3f}")
                print(f"sql_writes_floor_ratio_to_executemany: {floor / baseline:.1f}")
                floor = sql_floor(workdir, workdir / "csv.sqlite3", from_python=True)
                print(f"sql_writes_executemany_floor_seconds: {floor:.3f}")
                print(f"sql_writes_executemany_floor_ratio_to_executemany: {floor / baseline:.1f}")
        # A 12-row file: into the national database (the CSV run's, after its re-import) and into an empty
        # one, each run on a fresh copy, alternating, best of SMALL_RUNS.
        times: dict[str, list[float]] = {"empty": [], "national": []}
        for _run in range(SMALL_RUNS):
            for name, source in (("empty", "pristine"), ("national", "csv")):
                url = databases.copy(f"small_{name}", source)
                times[name].append(run_child(small_file, url, workdir, once=True)["import"])
        empty, full = min(times["empty"]), min(times["national"])
        print(f"small_file_rows: {len(small)}")
        print(f"small_file_import_into_empty_seconds: {empty:.3f}")
        print(f"small_file_import_into_national_seconds: {full:.3f}")
        print(f"small_file_ratio_national_to_empty: {full / empty:.2f}")
    if not args.keep:
        for leftover in workdir.iterdir():
            leftover.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
