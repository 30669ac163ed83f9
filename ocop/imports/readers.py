"""Read an uploaded recognition list (CSV or XLSX) into plain rows, refusing hostile files early.

Everything is checked *before* the content is parsed: the byte size; for XLSX the zip directory (number of
members, declared uncompressed size and compression ratio — a zip bomb is refused without inflating it),
then every member's deflate stream is inflated chunk by chunk into nothing, counting the bytes it really
produces, so a zip whose directory lies about the sizes is refused after at most MAX_UNCOMPRESSED bytes of
work and one chunk of memory — before the workbook reader (which trusts the streams) sees it;
for CSV the length of each physical line and the number of fields, so a row of 1,000,000 columns is refused
after reading one line rather than after building a list of a million strings.

Cells come back as Python values: str, int/float, date/datetime (XLSX) or "". Formula cells are never
evaluated: python-calamine returns the value cached in the file (nothing when there is none), and text
such as ``=cmd|' /C calc'!A0`` stays text.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000  # data rows
MAX_COLUMNS = 200
MAX_LINE_CHARS = 64 * 1024  # one physical CSV line
MAX_CELL_CHARS = 4_000
# XLSX (a zip): what the members may inflate to, declared in the central directory.
MAX_UNCOMPRESSED = 150 * 1024 * 1024
MAX_RATIO = 100  # per member larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 2_000
SNIFF_CHARS = 64 * 1024
INFLATE_CHUNK = 1024 * 1024  # bytes of output per step when measuring a member
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, …, file name length, extra field length
_LIAR = "Tệp XLSX có thông tin kích thước sai (nghi là “bom zip”): tệp bị từ chối."


class FileRefused(Exception):
    """The file as a whole cannot be read; ``message`` is Vietnamese and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """Rows of one sheet; ``rows[i]`` is sheet row ``first_row + i`` (1-based, as a spreadsheet shows it)."""

    name: str
    rows: list[list[object]]
    first_row: int = 1
    kind: str = "csv"
    notes: list[str] = field(default_factory=list)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _too_many_rows(what: str) -> str:
    return f"{what} có hơn {MAX_ROWS:,} dòng; hãy chia thành nhiều tệp.".replace(",", ".")


def sniff_kind(data: bytes, filename: str = "") -> str:
    """ "xlsx" for a zip container, "csv" for text; anything else (old .xls, PDF, images) is refused."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused(
            "Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8."
        )
    head = data[:SNIFF_CHARS]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("Tệp không phải CSV hay XLSX.")
    return "csv"


def read_table(data: bytes, filename: str = "") -> Sheet:
    """The first sheet holding data, as rows; raises FileRefused for anything unsafe or unreadable."""
    if not data:
        raise FileRefused("Tệp rỗng.")
    if len(data) > MAX_BYTES:
        raise FileRefused(f"Tệp quá lớn ({_mb(len(data))}); giới hạn {_mb(MAX_BYTES)}.")
    if sniff_kind(data, filename) == "xlsx":
        return read_xlsx(data)
    return read_csv(data)


# -- CSV ----------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileRefused("Không đọc được tệp CSV (UTF-16 hỏng).") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused("Tệp CSV phải được mã hoá UTF-8 (trong Excel: Lưu thành → CSV UTF-8).") from exc


def _bounded_lines(text: str) -> Iterator[str]:
    """Physical lines, refusing any longer than MAX_LINE_CHARS before the csv module splits it."""
    start = 0
    length = len(text)
    while start < length:
        end = text.find("\n", start, start + MAX_LINE_CHARS + 1)
        if end == -1:
            if length - start > MAX_LINE_CHARS:
                limit = f"{MAX_LINE_CHARS:,}".replace(",", ".")
                raise FileRefused(
                    f"Một dòng của tệp CSV dài hơn {limit} ký tự (quá nhiều cột?): tệp bị từ chối."
                )
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:40] if line.strip()]
    best, best_score = ",", -1
    for candidate in (",", ";", "\t"):
        counts = [line.count(candidate) for line in lines]
        if not counts:
            continue
        # The delimiter of a table appears in many lines, about equally often.
        frequent = max(set(counts), key=counts.count)
        score = counts.count(frequent) * (1 if frequent else 0) * 1000 + frequent
        if score > best_score:
            best, best_score = candidate, score
    return best


def read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    delimiter = _delimiter(text[:SNIFF_CHARS])
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_LINE_CHARS)
    rows: list[list[object]] = []
    try:
        reader = csv.reader(_bounded_lines(text), delimiter=delimiter)
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise FileRefused(
                    f"Dòng {reader.line_num} có {len(row)} cột; tối đa {MAX_COLUMNS} cột: tệp bị từ chối."
                )
            rows.append([cell[:MAX_CELL_CHARS] for cell in row])
            if len(rows) > MAX_ROWS + 100:
                raise FileRefused(_too_many_rows("Tệp"))
    except csv.Error as exc:
        raise FileRefused(f"Không đọc được tệp CSV: {exc}.") from exc
    finally:
        csv.field_size_limit(old_limit)
    return Sheet(name="CSV", rows=rows, kind="csv")


# -- XLSX ---------------------------------------------------------------------------------------------


def check_zip(data: bytes) -> None:
    """Refuse a zip whose directory promises too much (zip bomb) or that is not an XLSX workbook."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise FileRefused("Tệp XLSX bị hỏng (không phải tệp zip hợp lệ).") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise FileRefused("Tệp XLSX chứa quá nhiều thành phần: tệp bị từ chối.")
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
            raise FileRefused("Tệp zip này không phải bảng tính Excel (.xlsx).")
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise FileRefused(
                    "Tệp XLSX nén bất thường (tỉ lệ nén quá cao — nghi là “bom zip”): tệp bị từ chối."
                )
        if total > MAX_UNCOMPRESSED:
            raise FileRefused(
                f"Tệp XLSX khi giải nén lớn tới {_mb(total)} (giới hạn {_mb(MAX_UNCOMPRESSED)}): "
                "tệp bị từ chối."
            )
        budget = MAX_UNCOMPRESSED
        for member in members:
            budget -= _check_member(data, member, budget)


def _check_member(data: bytes, member: zipfile.ZipInfo, budget: int) -> int:
    """Inflate one member's stream into nothing and return how many bytes it really holds; refuse the file
    when that differs from what the directory declares, breaks the ratio limit or exceeds ``budget``."""
    start = member.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise FileRefused("Tệp XLSX bị hỏng (thiếu phần đầu của một thành phần).")
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise FileRefused("Tệp XLSX bị hỏng (thành phần không đúng chỗ khai báo).")
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    raw = memoryview(data)[begin : begin + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        size = len(raw)
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        size = _inflated_size(raw, min(budget, member.file_size))
    else:
        raise FileRefused("Tệp XLSX dùng kiểu nén không được hỗ trợ.")
    if size != member.file_size:
        raise FileRefused(_LIAR)
    return size


def _inflated_size(raw: memoryview, limit: int) -> int:
    """Bytes the raw deflate stream inflates to, stopping (refused) as soon as it passes ``limit``; never
    holds more than one INFLATE_CHUNK of output."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    position = 0
    pending = b""
    while not inflater.eof:
        if pending:
            chunk = pending
        else:
            chunk = raw[position : position + INFLATE_CHUNK]
            position += len(chunk)
        try:
            out = inflater.decompress(chunk, INFLATE_CHUNK)
        except zlib.error as exc:
            raise FileRefused("Tệp XLSX bị hỏng (dữ liệu nén lỗi).") from exc
        pending = inflater.unconsumed_tail
        size += len(out)
        if size > limit:
            raise FileRefused(_LIAR)
        if not out and not pending and not chunk:
            break  # the stream ends before its end marker
    if not inflater.eof:
        raise FileRefused("Tệp XLSX bị hỏng (dữ liệu nén bị cắt).")
    return size


def read_xlsx(data: bytes) -> Sheet:
    check_zip(data)
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRefused(f"Không mở được tệp XLSX: {exc}") from exc
    try:
        fallback = None
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.visible != SheetVisibleEnum.Visible and index > 0:
                continue  # hidden sheets are not the list (the first one is read whatever it is)
            sheet = workbook.get_sheet_by_index(index)
            if sheet.total_width > MAX_COLUMNS:
                raise FileRefused(
                    f"Trang “{sheet.name}” có {sheet.total_width} cột; tối đa {MAX_COLUMNS} cột: "
                    "tệp bị từ chối."
                )
            if sheet.total_height > MAX_ROWS + 100:
                raise FileRefused(_too_many_rows(f"Trang “{sheet.name}”"))
            if sheet.total_height == 0:
                continue
            rows = [
                [cell[:MAX_CELL_CHARS] if isinstance(cell, str) else cell for cell in row]
                for row in sheet.iter_rows()
            ]
            found = Sheet(name=sheet.name, rows=rows, kind="xlsx")
            from .headers import find_header

            if find_header(rows) is not None:
                return found
            fallback = fallback or found
        if fallback is None:
            raise FileRefused("Tệp XLSX không có trang tính nào chứa dữ liệu.")
        return fallback
    except (CalamineError, ValueError) as exc:
        raise FileRefused(f"Không đọc được tệp XLSX: {exc}") from exc
    finally:
        workbook.close()
