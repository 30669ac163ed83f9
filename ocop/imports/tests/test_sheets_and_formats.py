"""Official tables as provinces keep them (issue 17 §4): headers of two lines with merged headings, groups
written as numbers, workbooks of several sheets, XLS and ODS files, CSV in the Windows Vietnamese code
page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from ocop.imports.tests.helpers import HEADER, row, run_import, write_csv, write_ods
from ocop.products.models import Product

pytestmark = pytest.mark.django_db
BK = "Bắc Kạn"
DATA = Path(__file__).parent / "data"
TWO_LINES = [
    ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "", "", "Nhóm", "Hạng sao", "Quyết định công nhận", ""],
    ["", "", "", "Xã", "Huyện", "Tỉnh", "", "", "Số", "Ngày"],
]


def _two_line_row(name: str, stars: object, number: str, day: object, group: object = "") -> list[object]:
    return ["1", name, "HTX Côn Minh", "Xã Côn Minh", "Huyện Na Rì", BK, group, stars, number, day]


def _merged_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """XLSX sheets with a title row, then the two-line header with its headings merged as offices do."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append(["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN"])
        if rows and rows[0] == "no header":
            for line in rows[1:]:
                sheet.append(line)
            continue
        sheet.append(TWO_LINES[0])
        sheet.append(TWO_LINES[1])
        sheet.merge_cells("D2:F2")  # Địa chỉ over Xã / Huyện / Tỉnh
        sheet.merge_cells("I2:J2")  # Quyết định công nhận over Số / Ngày
        for column in "ABCGH":  # single headings over both lines
            sheet.merge_cells(f"{column}2:{column}3")
        sheet.append([f"({n})" for n in range(1, 11)])  # the column-number row
        for line in rows:
            sheet.append(line)
    workbook.save(path)
    return path


def test_a_two_line_header_with_merged_headings_is_read(tmp_path):
    path = _merged_workbook(
        tmp_path / "hai-dong.xlsx",
        {"Danh sách": [_two_line_row("Miến dong Côn Minh", 3, "12/QĐ-UBND", dt.datetime(2021, 3, 1), 1)]},
    )
    code, report = run_import(path)
    assert code == 0, report
    product = Product.objects.get(name="Miến dong Côn Minh")
    event = product.events.get()
    assert (event.decision_number, event.decision_date) == ("12/QĐ-UBND", dt.date(2021, 3, 1))
    assert product.commune.name == "Xã Côn Minh" and product.group_code == "I"


@pytest.mark.parametrize("repeated", [False, True], ids=["blank-top-cell", "repeated-top-cell"])
def test_a_two_line_csv_header_with_a_blank_or_repeated_top_cell(tmp_path, repeated):
    top = list(TWO_LINES[0])
    if repeated:
        top[4:6] = ["Địa chỉ", "Địa chỉ"]
        top[9] = "Quyết định công nhận"
    path = write_csv(
        tmp_path / "hai-dong.csv",
        [
            TWO_LINES[1],
            [str(n) for n in range(1, 11)],
            _two_line_row("Bún khô Côn Minh", "3 sao", "7/QĐ-UBND", "02/03/2021", "Nhóm 1"),
            _two_line_row("Rượu men lá Côn Minh", 4, "7/QĐ-UBND", "02/03/2021", "2"),
        ],
        header=top,
        title_rows=[["UBND TỈNH BẮC KẠN"]],
    )
    code, report = run_import(path)
    assert code == 0, report
    assert Product.objects.get(name="Bún khô Côn Minh").group_code == "I"
    assert Product.objects.get(name="Rượu men lá Côn Minh").group_code == "II"


def test_every_sheet_with_a_header_is_imported_and_a_sheet_without_one_is_listed(tmp_path):
    path = _merged_workbook(
        tmp_path / "nhieu-trang.xlsx",
        {
            "2021": [_two_line_row("Miến dong Côn Minh", 3, "12/QĐ-UBND", dt.datetime(2021, 3, 1))],
            "Ghi chú": ["no header", ["Danh sách gồm các sản phẩm được công nhận qua các năm."]],
            "2022": [
                _two_line_row("Miến dong Côn Minh", 4, "30/QĐ-UBND", dt.datetime(2022, 5, 1)),
                _two_line_row("Bún khô Côn Minh", 3, "30/QĐ-UBND", dt.datetime(2022, 5, 1)),
            ],
        },
    )
    from ocop.imports.services.importing import import_check

    outcome = import_check(data=path.read_bytes(), file_name=path.name)
    assert outcome.ok and outcome.events == 3
    parsed = outcome.plan.parsed
    assert [sheet.name for sheet in parsed.sheets] == ["2021", "2022"]
    assert parsed.skipped == [("Ghi chú", "không có dòng tiêu đề của danh sách công nhận")]
    code, report = run_import(path)
    assert code == 0 and report["events"] == 3
    mien = Product.objects.get(name="Miến dong Côn Minh")
    assert [e.stars for e in mien.events.order_by("decision_date")] == [3, 4]  # one history across sheets
    assert mien.events.get(stars=4).source == "Nhập tệp nhieu-trang.xlsx, trang “2022”, dòng 5"


def test_errors_and_warnings_name_their_sheet(tmp_path):
    path = _merged_workbook(
        tmp_path / "loi.xlsx",
        {
            "2021": [_two_line_row("Miến dong Côn Minh", 3, "12/QĐ-UBND", dt.datetime(2021, 3, 1))],
            "2022": [_two_line_row("Bún khô Côn Minh", 9, "30/QĐ-UBND", dt.datetime(2022, 5, 1))],
        },
    )
    code, report = run_import(path)
    assert code != 0
    assert report["errors"] == [
        {"row": 5, "column": "Hạng sao", "message": "Trang “2022”: Hạng sao phải từ 1 đến 5 (đang ghi 9)."}
    ]


def test_a_workbook_without_any_header_says_why_for_each_sheet(tmp_path):
    path = _merged_workbook(
        tmp_path / "trong.xlsx", {"Bìa": ["no header", ["Báo cáo"]], "Khác": ["no header", ["x"]]}
    )
    code, report = run_import(path)
    assert code != 0 and report["errors"][0]["row"] == 0
    assert "“Bìa”" in report["errors"][0]["message"] and "“Khác”" in report["errors"][0]["message"]


def test_old_excel_xls_is_read():
    code, report = run_import(DATA / "danh-sach-2021.xls")
    assert code == 0, report
    assert (report["rows"], report["created_products"], report["events"]) == (2, 2, 2)
    assert Product.objects.get(name="Bún khô Côn Minh").events.get().decision_date == dt.date(2021, 3, 1)


def test_opendocument_ods_is_read_sheet_by_sheet(tmp_path):
    path = write_ods(
        tmp_path / "danh-sach.ods",
        {
            "2021": [
                HEADER,
                row("Miến dong", "HTX Côn Minh", "Xã Côn Minh", "Na Rì", BK, 3, dt.date(2021, 3, 1)),
            ],
            "2022": [
                HEADER,
                row("Miến dong", "HTX Côn Minh", "Xã Côn Minh", "Na Rì", BK, 4, dt.date(2022, 3, 1)),
            ],
        },
    )
    code, report = run_import(path)
    assert code == 0, report
    assert [e.stars for e in Product.objects.get(name="Miến dong").events.order_by("decision_date")] == [3, 4]


def _cp1258(text: str) -> bytes:
    """Text as Windows-1258 holds it: letters with their vowel marks (ê, ơ, ư…) composed, tones apart."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        out.append(unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones)))
        out.extend(p for p in parts if p in tones)
    return "".join(out).encode("cp1258")


def test_a_csv_saved_in_the_windows_vietnamese_code_page_is_read(tmp_path):
    path = tmp_path / "cp1258.csv"
    lines = [
        HEADER,
        row("Miến dong Côn Minh", "HTX Côn Minh", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/03/2021"),
    ]
    text = "\r\n".join(",".join(str(cell) for cell in line) for line in lines) + "\r\n"
    path.write_bytes(_cp1258(text))
    code, report = run_import(path)
    assert code == 0, report
    assert Product.objects.filter(name="Miến dong Côn Minh", commune__name="Xã Côn Minh").exists()


def test_a_csv_in_an_encoding_that_cannot_be_told_keeps_the_clear_message(tmp_path):
    path = tmp_path / "la.csv"
    path.write_bytes(_cp1258("Tên;Hạng\nChè;3\n"))  # no header of a list in any encoding
    code, report = run_import(path)
    assert code != 0
    assert (
        report["errors"][0]["message"]
        == "Tệp CSV phải được mã hoá UTF-8 (trong Excel: Lưu thành → CSV UTF-8)."
    )
