"""Hostile uploads are refused early, without exhausting memory; formula text stays data."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from ocop.imports.readers import FileRefused, read_csv, read_table
from ocop.imports.tests.helpers import HEADER, run_import, write_csv


def _zip_bomb(path, inflated_mb: int = 400) -> None:
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(inflated_mb):
                member.write(chunk)


@pytest.mark.django_db
def test_zip_bomb_refused_without_inflating(tmp_path):
    bomb = tmp_path / "bom.xlsx"
    _zip_bomb(bomb)
    assert bomb.stat().st_size < 3 * 1024 * 1024
    started = time.perf_counter()
    code, report = run_import(bomb)
    assert time.perf_counter() - started < 2
    assert code != 0 and report["ok"] is False
    assert "bom zip" in report["errors"][0]["message"]


def test_total_uncompressed_size_limited(monkeypatch):
    from ocop.imports import readers

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 50_000)
    monkeypatch.setattr(readers, "MAX_UNCOMPRESSED", 100_000)
    with pytest.raises(FileRefused, match="giải nén"):
        read_table(buffer.getvalue())


@pytest.mark.django_db
def test_million_column_csv_refused_quickly(tmp_path):
    path = tmp_path / "rong.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n" + b"a," * 1_000_000 + b"a\n")
    started = time.perf_counter()
    code, report = run_import(path)
    elapsed = time.perf_counter() - started
    assert code != 0 and report["ok"] is False
    assert "quá nhiều cột" in report["errors"][0]["message"]
    assert elapsed < 2, f"{elapsed:.2f}s"


def test_many_columns_within_line_limit_refused():
    data = (",".join(["x"] * 5000) + "\n").encode()
    with pytest.raises(FileRefused, match="5000 cột"):
        read_csv(data)


def test_xls_and_binary_refused():
    with pytest.raises(FileRefused, match="xls"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(FileRefused):
        read_table(b"\x89PNG\r\n\x1a\n\0\0\0")
    with pytest.raises(FileRefused, match="UTF-8"):
        read_table("Tên;Hạng\n".encode("cp1258", errors="ignore"))


@pytest.mark.parametrize(("delimiter", "bom"), [(",", True), (";", False), ("\t", True), (";", True)])
def test_csv_delimiters_and_bom(tmp_path, delimiter, bom):
    path = write_csv(
        tmp_path / "a.csv",
        [
            [
                "1",
                "Miến dong",
                "HTX A",
                "",
                "Xã Nam Mẫu",
                "Ba Bể",
                "Bắc Kạn",
                "",
                "3",
                "",
                "1/QĐ",
                "01/02/2021",
                "",
            ]
        ],
        delimiter=delimiter,
        bom=bom,
    )
    sheet = read_table(path.read_bytes())
    assert sheet.rows[0][1] == "Tên sản phẩm"
    assert sheet.rows[1][4] == "Xã Nam Mẫu"


def test_formula_text_is_data():
    sheet = read_table("Tên sản phẩm,Chủ thể\n=cmd|' /C calc'!A0,@SUM(1+1)\n".encode())
    assert sheet.rows[1] == ["=cmd|' /C calc'!A0", "@SUM(1+1)"]
