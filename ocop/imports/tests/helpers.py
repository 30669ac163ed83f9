"""Test helpers: write recognition lists as CSV or XLSX (and hostile files, also used by
scripts/bench_limits.py) and run the import command."""

from __future__ import annotations

import csv
import json
import zipfile
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


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves), one table per sheet; cells are text,
    numbers as floats, dates as office:date-value."""
    import datetime as dt
    import zipfile
    from xml.sax.saxutils import escape

    def cell(value: object) -> str:
        if value in (None, ""):
            return "<table:table-cell/>"
        if isinstance(value, dt.date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
            )
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        text = escape(str(value))
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def write_zip_bomb(path: Path, inflated_mb: int = 400) -> Path:
    """An XLSX of a few MB whose sheet inflates to ``inflated_mb`` MB of zeros."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(inflated_mb):
                member.write(chunk)
    return path


def write_wide_csv(path: Path, columns: int = 1_000_000) -> Path:
    """A recognition list's header, then one line of ``columns`` cells."""
    path.write_bytes(",".join(HEADER).encode() + b"\n" + b"a," * (columns - 1) + b"a\n")
    return path
