"""Hostile uploads are refused early, without exhausting memory; formula text stays data."""

from __future__ import annotations

import io
import zipfile

import pytest

from ocop.core.tabular.readers import FileRefused, read_csv, read_table
from ocop.imports.tests.helpers import run_import, write_csv, write_wide_csv, write_zip_bomb


@pytest.mark.django_db
def test_zip_bomb_refused_without_inflating(tmp_path):
    # How fast it is refused: scripts/bench_limits.py (a wall-clock limit fails on a loaded machine).
    import tracemalloc

    bomb = write_zip_bomb(tmp_path / "bom.xlsx", inflated_mb=400)
    assert bomb.stat().st_size < 3 * 1024 * 1024
    tracemalloc.start()
    try:
        code, report = run_import(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code != 0 and report["ok"] is False
    assert "bom zip" in report["errors"][0]["message"]
    assert peak < 64 * 1024 * 1024  # never the 400 MB it inflates to


def test_total_uncompressed_size_limited(monkeypatch):
    from ocop.core.tabular import readers

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 50_000)
    monkeypatch.setattr(readers, "MAX_UNCOMPRESSED", 100_000)
    with pytest.raises(FileRefused, match="giải nén"):
        read_table(buffer.getvalue())


@pytest.mark.django_db
def test_million_column_csv_refused(tmp_path):
    # How fast it is refused: scripts/bench_limits.py.
    code, report = run_import(write_wide_csv(tmp_path / "rong.csv"))
    assert code != 0 and report["ok"] is False
    assert "quá nhiều cột" in report["errors"][0]["message"]


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


def _lying_zip(real_mb: int, declared: int) -> bytes:
    """A workbook-looking zip whose sheet inflates to ``real_mb`` MB while its headers declare ``declared``
    bytes (both the local header and the central directory lie)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (real_mb * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    real = sheet.file_size
    # Uncompressed size: offset 22 of the local header, offset 24 of the central directory entry.
    local = sheet.header_offset
    assert int.from_bytes(data[local + 22 : local + 26], "little") == real
    data[local + 22 : local + 26] = declared.to_bytes(4, "little")
    central = data.find(b"xl/worksheets/sheet1.xml", archive.start_dir) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    data[central + 24 : central + 28] = declared.to_bytes(4, "little")
    return bytes(data)


def test_zip_lying_about_sizes_refused_while_inflating_only_a_little(monkeypatch):
    import tracemalloc

    from ocop.core.tabular import readers

    data = _lying_zip(real_mb=60, declared=2_000)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").file_size == 2_000
    seen = []
    real_inflate = readers._inflated_size
    monkeypatch.setattr(
        readers, "_inflated_size", lambda raw, limit: seen.append(limit) or real_inflate(raw, limit)
    )
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused, match="kích thước sai"):
            read_table(data, "lying.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert 2_000 in seen  # the sheet was measured against what it declares
    assert peak < 8 * 1024 * 1024  # one chunk of output, never the 60 MB


def test_zip_declaring_less_than_it_holds_is_refused_before_the_reader(monkeypatch):
    """Even a lie within every limit is refused: the reader would inflate what the stream holds."""
    data = _lying_zip(real_mb=1, declared=1024 * 1024 - 1)
    with pytest.raises(FileRefused, match="kích thước sai"):
        read_table(data, "lying.xlsx")


def test_real_workbook_passes_the_inflate_check(tmp_path):
    from ocop.imports.tests.helpers import write_xlsx

    line = [
        "1",
        "Miến dong",
        "HTX A",
        "",
        "Xã Côn Minh",
        "Na Rì",
        "Bắc Kạn",
        "",
        3,
        "",
        "1/QĐ",
        "01/02/2021",
        "",
    ]
    path = write_xlsx(tmp_path / "ok.xlsx", [line])
    sheet = read_table(path.read_bytes(), "ok.xlsx")
    assert sheet.kind == "xlsx" and len(sheet.rows) == 2
