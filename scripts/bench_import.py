#!/usr/bin/env python
"""Benchmark of `ocop import-products` (issue 4): 20,000 rows vs a bare sqlite3 executemany of the same rows.

    .venv/bin/python scripts/bench_import.py [--rows 20000] [--keep DIR]

Builds a fresh SQLite database in a temporary directory (`ocop init`: reference data only), generates a
realistic recognition list with a fixed seed from real unit names (Bắc Kạn communes before 01/07/2025,
Thái Nguyên communes after), writes it as XLSX, then measures:
  * the bare baseline: sqlite3 executemany of the same rows (13 text columns) into an empty table + commit;
  * the import, in this process (read + check + plan + bulk write + certificates), wall time;
  * peak RSS of a separate `ocop import-products --dry-run` process on the XLSX (memory of a whole check).
One line per figure, then the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
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


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    os.environ.setdefault("OCOP_VAR_DIR", str(database.parent))
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
    connection.executemany(f"INSERT INTO bench VALUES ({placeholders})", rows)
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--keep", help="keep the database and files in this directory")
    args = parser.parse_args()
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="ocop-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "bench.sqlite3"
    for leftover in workdir.glob("bench.sqlite3*"):
        leftover.unlink()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "OCOP_VAR_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    }
    ocop = [sys.executable, "-c", "from ocop.cli import main; main()"]
    subprocess.run([*ocop, "init"], env=env, cwd=ROOT, check=True, capture_output=True)
    setup_django(database)

    rows = generate(args.rows)
    xlsx = workdir / "danh-sach.xlsx"
    write_xlsx(xlsx, rows)
    print(f"rows: {len(rows)}")
    print(f"xlsx_bytes: {xlsx.stat().st_size}")

    baseline = min(bare_executemany(workdir / f"bare-{i}.sqlite3", rows) for i in range(3))
    print(f"executemany_seconds: {baseline:.4f}")

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    check = subprocess.run(
        [*ocop, "import-products", str(xlsx), "--dry-run"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    child_peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    if check.returncode != 0:
        print(check.stdout, check.stderr[:3000])
        raise SystemExit("the generated file was refused")
    print(f"dry_run_process_peak_rss_mb: {child_peak_mb:.0f}")

    from ocop.imports.services import import_apply

    data = xlsx.read_bytes()
    started = time.perf_counter()
    outcome = import_apply(data=data, file_name=xlsx.name)
    elapsed = time.perf_counter() - started
    if not outcome.stored:
        raise SystemExit(f"import refused: {outcome.errors[:5]}")
    print(f"import_seconds: {elapsed:.3f}")
    print(f"created_products: {outcome.created_products}")
    print(f"events: {outcome.events}")
    print(f"in_process_peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    print(f"ratio_import_to_executemany: {elapsed / baseline:.1f}")
    if not args.keep:
        for leftover in workdir.iterdir():
            leftover.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
