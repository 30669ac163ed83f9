"""Test helpers: write recognition lists as CSV or XLSX and run the import command."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.core.management import call_command

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


def write_csv(
    path: Path,
    rows: list[list[object]],
    header: list[str] | None = HEADER,
    *,
    bom: bool = True,
    delimiter: str = ",",
    title_rows: list[list[str]] | None = None,
) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        for title in title_rows or []:
            writer.writerow(title)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path,
    rows: list[list[object]],
    header: list[str] | None = HEADER,
    *,
    title_rows: list[list[str]] | None = None,
    date_format: str = "dd/mm/yyyy",
) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    for title in title_rows or []:
        sheet.append(title)
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if hasattr(cell.value, "year"):
                cell.number_format = date_format
    workbook.save(path)
    return path


def run_import(path: Path, *args: str, tmp_path: Path | None = None) -> tuple[int, dict | None]:
    """(exit code, report) of `ocop import-products`."""
    report_path = (tmp_path or path.parent) / f"{path.stem}-report.json"
    code = 0
    try:
        call_command("import_products", str(path), "--report-json", str(report_path), *args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else None
    return code, report


def row(
    name: str,
    entity: str,
    commune: str,
    district: str,
    province: str,
    stars: object,
    date: object,
    kind: str = "",
    *,
    entity_type: str = "",
    group: str = "",
    score: object = "",
    number: str = "",
    stt: object = "",
) -> list[object]:
    return [
        stt,
        name,
        entity,
        entity_type,
        commune,
        district,
        province,
        group,
        stars,
        score,
        number,
        date,
        kind,
    ]
