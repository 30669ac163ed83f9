"""Which sheet rows are events, read column by column (rows.py)."""

from __future__ import annotations

import pytest

from ocop.imports.tests.helpers import HEADER, row, run_import, write_csv

pytestmark = pytest.mark.django_db

BK = "Bắc Kạn"


def test_fillers_blank_and_short_rows_are_skipped_or_read_as_empty_cells(tmp_path):
    numbers = [f"({index})" for index in range(1, len(HEADER) + 1)]
    short = row("Bún khô", "HTX Hà Văn An", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/02/2021")[:12]
    path = write_csv(
        tmp_path / "fillers.csv",
        [
            numbers,  # the column-number row of official tables
            row("Miến dong", "HTX Hà Văn An", "Xã Côn Minh", "Huyện Na Rì", BK, 4, "01/03/2021"),
            [""] * len(HEADER),  # blank
            list(HEADER),  # the header repeated after a page break
            short,  # no Hình thức cell at all
            ["", "", "", "", "", "", "", "", "", "", "", "", ""],
        ],
        title_rows=[["DANH SÁCH SẢN PHẨM OCOP"], []],
    )
    code, report = run_import(path)
    assert code == 0, report
    assert (report["rows"], report["events"], report["created_products"]) == (2, 2, 2)


def test_every_problem_of_a_row_is_reported(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            row("Miến dong", "HTX Hà Văn An", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/03/2021"),
            row("", "HTX Hà Văn An", "Xã Không Có", "Huyện Na Rì", BK, "9 sao", "31/02/2021", "Lạ"),
        ],
    )
    code, report = run_import(path)
    assert code != 0 and report["events"] == 0
    assert sorted((e["row"], e["column"]) for e in report["errors"]) == sorted(
        (3, column) for column in ("Tên sản phẩm", "Hình thức", "Hạng sao", "Ngày quyết định", "Xã")
    )
