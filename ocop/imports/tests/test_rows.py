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


def _valid(**changes) -> list[object]:
    cells = {
        "name": "Miến dong",
        "entity": "HTX Hà Văn An",
        "commune": "Xã Côn Minh",
        "district": "Huyện Na Rì",
        "province": BK,
        "stars": 3,
        "date": "01/03/2021",
        "kind": "",
        "score": "",
        "group": "",
        "entity_type": "",
    }
    cells.update(changes)
    options = {key: cells.pop(key) for key in ("kind", "score", "group", "entity_type")}
    return row(*cells.values(), **options)


# Each row has exactly one problem, so the parser's one-condition path for valid rows must let none through.
ONE_PROBLEM = [
    ({"name": ""}, "Tên sản phẩm"),
    ({"name": "M" * 256}, "Tên sản phẩm"),
    ({"entity": ""}, "Chủ thể"),
    ({"entity": "H" * 256}, "Chủ thể"),
    ({"entity_type": "Hội quán"}, "Loại hình chủ thể"),
    ({"group": "Nhóm lạ"}, "Nhóm sản phẩm"),
    ({"kind": "Lạ"}, "Hình thức"),
    ({"stars": ""}, "Hạng sao"),
    ({"stars": "6"}, "Hạng sao"),
    ({"stars": 4, "score": "55"}, "Điểm"),
    ({"score": "điểm"}, "Điểm"),
    ({"date": ""}, "Ngày quyết định"),
    ({"date": "31/02/2021"}, "Ngày quyết định"),
    ({"commune": "Xã Không Có"}, "Xã"),
]


@pytest.mark.parametrize(("changes", "column"), ONE_PROBLEM)
def test_a_row_with_one_problem_is_never_taken_for_valid(tmp_path, changes, column):
    # The second row names another product, so only its own problem can be reported.
    path = write_csv(tmp_path / "one.csv", [_valid(), _valid(**{"name": "Bún khô", **changes})])
    code, report = run_import(path)
    assert code != 0 and report["events"] == 0
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, column)], report["errors"]
