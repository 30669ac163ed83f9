#!/usr/bin/env python
"""Benchmark of `ocop import-products` (issue 4): 20,000 rows vs a bare sqlite3 executemany of the same rows.

    .venv/bin/python scripts/bench_import.py [--rows 20000] [--keep DIR] [--postgres]

Builds a fresh database (`ocop init`: reference data only; SQLite, or with --postgres a throw-away
PostgreSQL cluster from scripts/pg_cluster.py), generates a realistic recognition list with a fixed seed from
real unit names (Bắc Kạn communes before 01/07/2025, Thái Nguyên communes after), writes it as CSV and as
XLSX, then measures:
  * the bare baseline: sqlite3 executemany of the same rows (13 text columns) into an empty table + commit
    (best of 3);
  * the floor of the writes (SQLite): the rows the CSV import stored, copied by SQLite itself with
    INSERT … SELECT into a fresh initialised database with the import's index deferral — what the five
    tables, their indexes and the portal's FTS index cost with no Python at all; and the same rows read
    into Python and written with a bare executemany per table (what handing them to SQLite costs any
    Python importer, before reading or checking anything);
  * per format, in a separate process on its own copy of the fresh database: the import (read + check +
    plan + write + certificates, wall time), the re-import of the same file (nothing to write), and the
    process's peak RSS (Django included); the part of the import spent refreshing the public portal's
    listing (ocop.portal.services.listing_refresh, called by the import like certificates_sync does) is
    shown on its own line, with the import time and ratio without it;
One line per figure and ratio ("name: value").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = [
    "STT",
    "Tên sản phẩm",
    "Chủ thể",
    "Loại hình chủ thể",
    "Xã",
    "Huyện",
    "Tỉnh",
    "Nhóm sản phẩm",
    "Hạng sao",
    "Điểm",
    "Số quyết định",
    "Ngày quyết định",
    "Hình thức",
]
PRODUCTS = [
    "Miến dong",
    "Trà hoa vàng",
    "Mật ong rừng",
    "Gạo nếp",
    "Bún khô",
    "Tinh bột nghệ",
    "Rượu men lá",
    "Măng khô",
    "Hạt dẻ",
    "Trà Shan tuyết",
    "Thịt trâu khô",
    "Lạp sườn",
    "Bánh gio",
    "Tinh dầu sả",
    "Chè búp",
    "Cam sành",
    "Quýt ngọt",
    "Nấm mộc nhĩ",
    "Khẩu mẩy",
    "Bánh phở khô",
]
GROUPS = ["Thực phẩm", "Đồ uống", "Thảo dược", "I", "II", "III"]
OWNERS = [("HTX", "HTX"), ("Công ty TNHH", "Công ty"), ("Tổ hợp tác", "Tổ hợp tác"), ("Hộ kinh doanh", "")]
SURNAMES = ["Nguyễn", "Hoàng", "Nông", "Triệu", "Hà", "Lường", "Đinh", "Ma", "Lý", "Bế"]
GIVEN = ["Văn An", "Thị Hoa", "Văn Sáng", "Thị Thuỳ", "Ngọc Hường", "Văn Hùng", "Thị Bầy", "Đức Thắng"]
BANDS = {3: (50, 69), 4: (70, 89), 5: (90, 99)}


def setup_django(url: str, var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    os.environ.setdefault("OCOP_VAR_DIR", str(var_dir))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def units() -> tuple[list[tuple[str, str]], list[str]]:
    from ocop.geography.models import AdminUnit, Generation, Level

    legacy = list(
        AdminUnit.objects.filter(level=Level.COMMUNE, generation=Generation.LEGACY, province__code="06")
        .order_by("code")
        .values_list("name", "parent__name")
    )
    reform = list(
        AdminUnit.objects.filter(level=Level.COMMUNE, generation=Generation.REFORM_2025, province__code="19")
        .order_by("code")
        .values_list("name", flat=True)
    )
    return legacy, reform


def generate(count: int, seed: int = 20250701) -> list[list[str]]:
    """Rows of `count` events: products with a recognition, often an upgrade and a renewal, in date order per
    product but shuffled in the file; a tenth of the products recognised after the 2025 reform."""
    rng = random.Random(seed)
    legacy, reform = units()
    rows: list[list[str]] = []
    serial = 0
    while len(rows) < count:
        serial += 1
        prefix, kind_word = rng.choice(OWNERS)
        owner = f"{prefix} {rng.choice(SURNAMES)} {rng.choice(GIVEN)} {serial // 3}"
        product = f"{rng.choice(PRODUCTS)} {owner.split(' ', 1)[1]} loại {serial % 3 + 1}"
        stars = rng.choice([3, 3, 3, 4])
        if rng.random() < 0.1:
            commune, district, province = rng.choice(reform), "", "Thái Nguyên"
            day = dt.date(2025, 7, 1) + dt.timedelta(days=rng.randrange(150))
            history = [(stars, day, "Công nhận mới")]
        else:
            commune, district = rng.choice(legacy)
            province = "Bắc Kạn"
            day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1400))
            history = [(stars, day, "Công nhận mới")]
            if rng.random() < 0.4:
                day = day + dt.timedelta(days=rng.randrange(200, 600))
                stars = min(stars + 1, 5)
                history.append((stars, day, rng.choice(["Nâng hạng", ""])))
            if rng.random() < 0.3 and day + dt.timedelta(days=1000) < dt.date(2025, 6, 30):
                day = day + dt.timedelta(days=1000)
                history.append((stars, day, rng.choice(["Công nhận lại", ""])))
        group = rng.choice(GROUPS)
        for stars, day, kind in history:
            low, high = BANDS[stars]
            score = f"{rng.uniform(low, high):.2f}".replace(".", ",") if rng.random() < 0.5 else ""
            number = f"{rng.randrange(100, 3000)}/QĐ-UBND"
            rows.append(
                [
                    "",
                    product,
                    owner,
                    kind_word,
                    commune,
                    district,
                    province,
                    group,
                    f"{stars} sao",
                    score,
                    number,
                    day.strftime("%d/%m/%Y"),
                    kind,
                ]
            )
    rows = rows[:count]
    rng.shuffle(rows)
    for index, line in enumerate(rows, start=1):
        line[0] = str(index)
    return rows


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN"])
    sheet.append([])
    sheet.append(HEADER)
    for line in rows:
        cells = list(line)
        cells[11] = dt.datetime.strptime(line[11], "%d/%m/%Y")  # real Excel dates
        sheet.append(cells)
    workbook.save(path)


def bare_executemany(path: Path, rows: list[list[str]]) -> float:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    columns = ", ".join(f"c{i} TEXT" for i in range(len(HEADER)))
    connection.execute(f"CREATE TABLE bench ({columns})")
    connection.commit()
    placeholders = ", ".join("?" * len(HEADER))
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
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN"])
        writer.writerow([])
        writer.writerow(HEADER)
        writer.writerows(rows)


def child(path: Path) -> None:
    """Run in a separate process: import a file twice into the database of DATABASE_URL, print JSON."""
    setup_django(os.environ["DATABASE_URL"], path.parent)
    from ocop.imports import store
    from ocop.imports.services import import_apply

    listing = {"seconds": 0.0}
    refresh = store.listing_refresh

    def timed_refresh(**kwargs):  # the portal's read model, refreshed by the import: shown on its own line
        started = time.perf_counter()
        try:
            return refresh(**kwargs)
        finally:
            listing["seconds"] += time.perf_counter() - started

    store.listing_refresh = timed_refresh
    data = path.read_bytes()
    started = time.perf_counter()
    outcome = import_apply(data=data, file_name=path.name)
    elapsed = time.perf_counter() - started
    if not outcome.stored:
        raise SystemExit(f"import refused: {outcome.errors[:5]}")
    started = time.perf_counter()
    again = import_apply(data=data, file_name=path.name)
    reimport = time.perf_counter() - started
    if again.events:
        raise SystemExit("the re-import stored events again")
    print(
        json.dumps(
            {
                "import": elapsed,
                "reimport": reimport,
                "listing": listing["seconds"],
                "events": outcome.events,
                "created_products": outcome.created_products,
            }
        )
    )


def run_child(path: Path, url: str, workdir: Path) -> dict:
    """Run `child` in a new process; its result and its own peak RSS (os.wait4 reports the child's rusage)."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "OCOP_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    }
    out_path, err_path = workdir / "child.out", workdir / "child.err"
    with out_path.open("w") as out, err_path.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", str(path)], env=env, cwd=ROOT, stdout=out, stderr=err
        )
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

    def copy(self, name: str) -> str:
        if self.postgres_url:
            self._pg(f"DROP DATABASE IF EXISTS bench_{name}")
            self._pg(f"CREATE DATABASE bench_{name} TEMPLATE bench_pristine")
        else:
            target = self.workdir / f"{name}.sqlite3"
            target.unlink(missing_ok=True)
            source = sqlite3.connect(self.workdir / "pristine.sqlite3")
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
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--keep", help="keep the database and files in this directory")
    parser.add_argument("--postgres", action="store_true", help="import into a throw-away PostgreSQL cluster")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    # No connection pool: the pristine database is the template of every run, and CREATE DATABASE …
    # TEMPLATE refuses while a pooled connection to it is still open.
    os.environ.setdefault("OCOP_DB_POOL", "0")
    if args.child:
        child(Path(args.child))
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
        rows = generate(args.rows)
        from django.db import connections

        connections.close_all()  # the pristine database is the template of every run
        files = {"csv": workdir / "danh-sach.csv", "xlsx": workdir / "danh-sach.xlsx"}
        write_csv(files["csv"], rows)
        write_xlsx(files["xlsx"], rows)
        print(f"database: {'postgresql' if postgres_url else 'sqlite'}")
        print(f"rows: {len(rows)}")
        baseline = min(bare_executemany(workdir / f"bare-{i}.sqlite3", rows) for i in range(3))
        print(f"executemany_seconds: {baseline:.4f}")
        for kind, path in files.items():
            result = run_child(path, databases.copy(kind), workdir)
            print(f"{kind}_bytes: {path.stat().st_size}")
            print(f"{kind}_events: {result['events']}")
            print(f"{kind}_created_products: {result['created_products']}")
            print(f"{kind}_import_seconds: {result['import']:.3f}")
            print(f"{kind}_ratio_import_to_executemany: {result['import'] / baseline:.1f}")
            own = result["import"] - result["listing"]
            print(f"{kind}_of_which_portal_listing_refresh_seconds: {result['listing']:.3f}")
            print(f"{kind}_import_without_portal_listing_seconds: {own:.3f}")
            print(f"{kind}_ratio_import_without_portal_listing_to_executemany: {own / baseline:.1f}")
            print(f"{kind}_peak_rss_mb: {result['peak_rss_mb']:.0f}")
            print(f"{kind}_reimport_seconds: {result['reimport']:.3f}")
            print(f"{kind}_ratio_reimport_to_executemany: {result['reimport'] / baseline:.1f}")
            if kind == "csv" and not postgres_url:
                floor = sql_floor(workdir, workdir / "csv.sqlite3")
                print(f"sql_writes_floor_seconds: {floor:.3f}")
                print(f"sql_writes_floor_ratio_to_executemany: {floor / baseline:.1f}")
                floor = sql_floor(workdir, workdir / "csv.sqlite3", from_python=True)
                print(f"sql_writes_executemany_floor_seconds: {floor:.3f}")
                print(f"sql_writes_executemany_floor_ratio_to_executemany: {floor / baseline:.1f}")
    if not args.keep:
        for leftover in workdir.iterdir():
            leftover.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
