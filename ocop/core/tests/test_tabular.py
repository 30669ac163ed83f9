"""ocop.core.tabular: every reader refuses a broken file in Vietnamese (never the parser's English), and a
header of one or two lines is found below title rows."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from ocop.core.tabular.headers import find_header
from ocop.core.tabular.readers import ODS_MIMETYPE, FileRefused, read_workbook

ENGLISH = re.compile(r"\b(error|cannot|unrecognized|invalid|unexpected|detect|format|file|xml|parse)\b", re.I)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BROKEN = {
    "xlsx": _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<workbook><sheets>&bogus;"}),
    "ods": _zip({"mimetype": ODS_MIMETYPE, "content.xml": b"<office:document-content unterminated"}),
    "xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\x3e\x00\x03\x00\xfe\xff" + b"\x17" * 600,
    "csv": "Tên sản phẩm,Chủ thể\nMiến,HTX\rA,B\n".encode(),  # a bare carriage return inside a line
    "zip": _zip({"word/document.xml": b"<w:document/>"}),
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100,
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_file_is_refused_in_vietnamese(kind):
    with pytest.raises(FileRefused) as refused:
        read_workbook(BROKEN[kind], f"tep.{kind}")
    message = refused.value.message
    assert not ENGLISH.search(message.replace("CSV", "").replace("XLSX", "")), message
    assert re.search(r"[ạảãàáâầấậẩẫăằắặẳẵêềếệểễôồốộổỗơờớợởỡưừứựửữđ]", message), message


def test_two_header_lines_combine_parent_and_child_labels():
    names = {
        "tensanpham": "product",
        "soquyetdinhcongnhan": "number",
        "ngayquyetdinhcongnhan": "date",
        "xa": "commune",
    }

    def canonical(text: str) -> str | None:
        from ocop.core.tabular.headers import header_key

        return names.get(header_key(text))

    rows = [
        ["DANH SÁCH"],
        ["Tên sản phẩm", "Địa chỉ", "Quyết định công nhận", ""],
        ["", "Xã", "Số", "Ngày"],
        ["Miến", "Côn Minh", "1/QĐ", "01/03/2021"],
    ]
    header = find_header(rows, canonical_for=canonical, accept=lambda columns: "product" in columns)
    assert (header.row_index, header.depth) == (2, 2)
    assert header.columns == {"product": 0, "commune": 1, "number": 2, "date": 3}
    assert header.labels["number"] == "Quyết định công nhận / Số"
    # The same header on one line is read as one line (a title above adds nothing).
    flat = [["DANH SÁCH"], ["Tên sản phẩm", "Xã", "Số quyết định công nhận"], ["Miến", "Côn Minh", "1"]]
    header = find_header(flat, canonical_for=canonical, accept=lambda columns: "product" in columns)
    assert (header.row_index, header.depth, header.columns) == (
        1,
        1,
        {"product": 0, "commune": 1, "number": 2},
    )
