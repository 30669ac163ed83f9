"""How a checked file is shown back to its officer: the preview with each cell in error marked (and its
message), and the error workbook — the file's own rows, as they were, with an error column added, then the
list of every error — so that the file can be fixed where it stands and uploaded again."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ocop.core.exports import safe_cell
from ocop.core.tabular.readers import FileRefused, read_workbook

_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters a worksheet's name may not hold
ERROR_COLUMN = "Lỗi (hệ thống ghi khi kiểm tra)"
ERROR_LIST_TITLE = "Danh sách lỗi"
ERROR_LIST_HEADERS = ("Dòng", "Trang", "Cột", "Giá trị trong tệp", "Lỗi")


@dataclass(frozen=True)
class PreviewCell:
    name: str  # the column's name, for the phone layout's label
    value: str
    error: str = ""  # what is wrong with this cell, when the check found something


def _key(sheet: str, row: object, column: str) -> tuple[str, str, str]:
    return sheet or "", str(row or ""), column or ""


def _errors_by_cell(errors: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str, str], list[str]]:
    found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for error in errors:
        for column in str(error.get("column") or "").split(", "):  # a row missing several columns
            found[_key(error.get("sheet", ""), error.get("row"), column)].append(str(error["message"]))
    return found


def preview_rows(result: Mapping[str, Any], errors: Sequence[Mapping[str, Any]]) -> list[list[PreviewCell]]:
    """The preview's rows (the first sheet's first rows): the row number, then each column read, a cell
    named by an error marked with its message."""
    columns = result.get("columns", [])
    sheets = result.get("sheets", [])
    # Errors name the sheet only when the file has several: the preview is the first one.
    sheet = sheets[0]["name"] if len(sheets) > 1 else ""
    marked = _errors_by_cell(errors)
    rows = []
    for cells in result.get("preview", []):
        number = cells[0] if cells else ""
        row = [PreviewCell("Dòng", str(number))]
        for (label, name), value in zip(columns, cells[1:], strict=False):
            messages = marked.get(_key(sheet, number, label), [])
            row.append(PreviewCell(name, str(value), " ".join(messages)))
        rows.append(row)
    return rows


def _row_messages(errors: Iterable[Mapping[str, Any]]) -> dict[tuple[str, int], list[str]]:
    """(sheet, row) → "Column: message" of each error of that row."""
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    for error in errors:
        row = error.get("row") or 0
        if not row:
            continue
        column = str(error.get("column") or "")
        message = str(error["message"])
        found[str(error.get("sheet") or ""), int(row)].append(f"{column}: {message}" if column else message)
    return found


def error_workbook(
    *, data: bytes, file_name: str, result: Mapping[str, Any], errors: Sequence[Mapping[str, Any]]
) -> bytes:
    """The error workbook (XLSX) of a refused file: each sheet of the file with its rows as they were and
    an error column after them (row N of the workbook is row N of the file), then the list of every error.
    Without the file (kept only while it can be fixed) or when it cannot be read again: the list alone."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    flagged = PatternFill("solid", fgColor="FDE2E1")

    def cell(sheet: Any, value: object, *, font: Font | None = None, fill: PatternFill | None = None) -> Any:
        written = WriteOnlyCell(sheet, value=safe_cell(value))
        if isinstance(written.value, str):
            written.data_type = "s"  # never let openpyxl turn text into a formula
        if font is not None:
            written.font = font
        if fill is not None:
            written.fill = fill
        return written

    source = []
    if data:
        try:
            source = read_workbook(data, file_name).sheets
        except FileRefused:
            source = []
    header_rows = {sheet["name"]: sheet["header_row"] for sheet in result.get("sheets", [])}
    by_row = _row_messages(errors)
    many = len(source) > 1
    for original in source:
        title = PurePath(file_name).stem if original.kind == "csv" else original.name
        out = workbook.create_sheet(title=_SHEET_TITLE_FORBIDDEN.sub(" ", title)[:31].strip() or "Trang 1")
        width = max((len(row) for row in original.rows), default=0)
        header_row = header_rows.get(original.name, result.get("header_row", 0))
        shown = original.name if many else ""
        for _blank in range(original.first_row - 1):
            out.append([])
        for index, values in enumerate(original.rows):
            number = original.first_row + index
            padded = [*values, *[""] * (width - len(values))]
            messages = by_row.get((shown, number), [])
            if number == header_row:
                extra = cell(out, ERROR_COLUMN, font=bold)
            else:
                extra = cell(out, "; ".join(messages), fill=flagged) if messages else cell(out, "")
            out.append([cell(out, value) for value in padded] + [extra])
    listed = workbook.create_sheet(title=ERROR_LIST_TITLE)
    listed.append([cell(listed, header, font=bold) for header in ERROR_LIST_HEADERS])
    for error in errors:
        fields = (
            error.get("row") or "",
            error.get("sheet", ""),
            error.get("column", ""),
            error.get("value", ""),
        )
        listed.append([cell(listed, value) for value in (*fields, error["message"])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
