"""Read an uploaded table (CSV, XLSX, XLS or ODS) into plain rows, refusing hostile files early.

Everything is checked *before* the content is parsed: the byte size; for the zip formats (XLSX, ODS) the zip
directory (number of members, declared uncompressed size and compression ratio — a zip bomb is refused
without inflating it), then every member's deflate stream is inflated chunk by chunk into nothing, counting
the bytes it really produces, so a zip whose directory lies about the sizes is refused after at most
MAX_UNCOMPRESSED bytes of work and one chunk of memory — before the workbook reader (which trusts the
streams) sees it; for every workbook the size of each sheet (rows, columns) before its cells are read; for
CSV the length of each physical line and the number of fields, so a row of 1,000,000 columns is refused
after reading one line rather than after building a list of a million strings.

Cells come back as Python values: str, int/float, date/datetime (workbooks) or "". Formula cells are never
evaluated: python-calamine returns the value cached in the file (nothing when there is none), and text
such as ``=cmd|' /C calc'!A0`` stays text. Every refusal is a ``FileRefused`` with a Vietnamese message:
the parsers' own (English) errors never reach a user.
"""

from __future__ import annotations

import csv
import io
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000  # data rows
MAX_COLUMNS = 200
MAX_LINE_CHARS = 64 * 1024  # one physical CSV line
MAX_CELL_CHARS = 4_000
# Zip formats: what the members may inflate to, declared in the central directory.
MAX_UNCOMPRESSED = 150 * 1024 * 1024
MAX_RATIO = 100  # per member larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 2_000
SNIFF_CHARS = 64 * 1024
INFLATE_CHUNK = 1024 * 1024  # bytes of output per step when measuring a member
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, …, file name length, extra field length
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 (.xls), also password-protected workbooks
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
KIND_NAMES = {"xlsx": "XLSX", "xls": "Excel 97–2003 (.xls)", "ods": "OpenDocument (.ods)", "csv": "CSV"}
UTF8_NEEDED = "Tệp CSV phải được mã hoá UTF-8 (trong Excel: Lưu thành → CSV UTF-8)."


class FileRefused(Exception):
    """The file as a whole cannot be read; ``message`` is Vietnamese and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """Rows of one sheet; ``rows[i]`` is sheet row ``first_row + i`` (1-based, as a spreadsheet shows it);
    ``merged``: merged cell ranges ((first row, first column), (last row, last column)), 0-based indexes
    into ``rows`` and their cells."""

    name: str
    rows: list[list[object]]
    first_row: int = 1
    kind: str = "csv"
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


@dataclass
class Workbook:
    """The sheets of a file that hold data, in order, and those left out with the reason (a hidden or
    empty sheet)."""

    kind: str
    sheets: list[Sheet]
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _too_many_rows(what: str) -> str:
    return f"{what} có hơn {MAX_ROWS:,} dòng; hãy chia thành nhiều tệp.".replace(",", ".")


def sniff_kind(data: bytes, filename: str = "") -> str:
    """ "xlsx" or "ods" for a zip container (told apart by its members), "xls" for an OLE2 compound file,
    "csv" for text; anything else (PDF, images) is refused."""
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data[:8] == _OLE2:
        return "xls"
    head = data[:SNIFF_CHARS]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("Tệp không phải bảng tính (CSV, XLSX, XLS hay ODS).")
    return "csv"


Recognise = Callable[[list[list[object]]], bool]


def read_workbook(data: bytes, filename: str = "", *, recognise: Recognise | None = None) -> Workbook:
    """Every sheet holding data; raises FileRefused for anything unsafe or unreadable.

    ``recognise(rows)`` tells whether rows start with a header the caller knows: a CSV that is not UTF-8 is
    read in the Windows Vietnamese code page (1258, what Excel writes on Vietnamese Windows) when its header
    is recognised in it."""
    if not data:
        raise FileRefused("Tệp rỗng.")
    if len(data) > MAX_BYTES:
        raise FileRefused(f"Tệp quá lớn ({_mb(len(data))}); giới hạn {_mb(MAX_BYTES)}.")
    kind = sniff_kind(data, filename)
    if kind == "zip":
        kind = check_zip(data)
    if kind == "csv":
        return Workbook("csv", [read_csv(data, recognise=recognise)])
    return read_calamine(data, kind)


def read_table(data: bytes, filename: str = "", *, recognise: Recognise | None = None) -> Sheet:
    """The first sheet whose header ``recognise`` knows (without one: the first sheet holding data)."""
    workbook = read_workbook(data, filename, recognise=recognise)
    if not workbook.sheets:
        raise FileRefused(f"Tệp {KIND_NAMES[workbook.kind]} không có trang tính nào chứa dữ liệu.")
    if recognise is not None:
        for sheet in workbook.sheets:
            if recognise(sheet.rows):
                return sheet
    return workbook.sheets[0]


# -- CSV ----------------------------------------------------------------------------------------------


def _decode(data: bytes, recognise: Recognise | None) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileRefused("Không đọc được tệp CSV (UTF-16 hỏng).") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if recognise is not None:
            try:
                # Windows-1258 writes Vietnamese with combining tone marks: composed like typed text.
                text = unicodedata.normalize("NFC", data.decode("cp1258"))
            except UnicodeDecodeError:
                text = ""
            if text and recognise(_csv_rows(text[:SNIFF_CHARS], partial=True)):
                return text
        raise FileRefused(UTF8_NEEDED) from exc


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


def _csv_rows(text: str, *, partial: bool = False) -> list[list[object]]:
    delimiter = _delimiter(text[:SNIFF_CHARS])
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_LINE_CHARS)
    rows: list[list[object]] = []
    reader = csv.reader(_bounded_lines(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise FileRefused(
                    f"Dòng {reader.line_num} có {len(row)} cột; tối đa {MAX_COLUMNS} cột: tệp bị từ chối."
                )
            rows.append([cell[:MAX_CELL_CHARS] for cell in row])
            if len(rows) > MAX_ROWS + 100:
                raise FileRefused(_too_many_rows("Tệp"))
    except csv.Error as exc:
        if not partial:  # a sample may end inside a quoted cell
            raise FileRefused(
                f"Không đọc được tệp CSV ở dòng {reader.line_num}: dòng sai cấu trúc (ví dụ dấu ngoặc kép "
                "không khớp). Hãy mở tệp bằng Excel và lưu lại."
            ) from exc
    finally:
        csv.field_size_limit(old_limit)
    return rows


def read_csv(data: bytes, *, recognise: Recognise | None = None) -> Sheet:
    return Sheet(name="CSV", rows=_csv_rows(_decode(data, recognise)), kind="csv")


# -- zip formats (XLSX, ODS) ----------------------------------------------------------------------------

_LIAR = "Tệp bảng tính có thông tin kích thước sai (nghi là “bom zip”): tệp bị từ chối."


def check_zip(data: bytes) -> str:
    """Refuse a zip whose directory promises too much (zip bomb) or that is not a workbook; its kind
    ("xlsx" or "ods") otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise FileRefused("Tệp bảng tính bị hỏng (không phải tệp zip hợp lệ).") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise FileRefused("Tệp bảng tính chứa quá nhiều thành phần: tệp bị từ chối.")
        names = {m.filename for m in members}
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            kind = "xlsx"
        elif "content.xml" in names and "mimetype" in names and _mimetype(archive) == ODS_MIMETYPE:
            kind = "ods"
        else:
            raise FileRefused("Tệp zip này không phải bảng tính Excel (.xlsx) hay OpenDocument (.ods).")
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise FileRefused(
                    "Tệp bảng tính nén bất thường (tỉ lệ nén quá cao — nghi là “bom zip”): tệp bị từ chối."
                )
        if total > MAX_UNCOMPRESSED:
            raise FileRefused(
                f"Tệp bảng tính khi giải nén lớn tới {_mb(total)} (giới hạn {_mb(MAX_UNCOMPRESSED)}): "
                "tệp bị từ chối."
            )
        budget = MAX_UNCOMPRESSED
        for member in members:
            budget -= _check_member(data, member, budget)
    return kind


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    info = archive.getinfo("mimetype")
    if info.file_size > 200:
        return b""
    try:
        return archive.read(info).strip()
    except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError):
        return b""


def _check_member(data: bytes, member: zipfile.ZipInfo, budget: int) -> int:
    """Inflate one member's stream into nothing and return how many bytes it really holds; refuse the file
    when that differs from what the directory declares, breaks the ratio limit or exceeds ``budget``."""
    start = member.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise FileRefused("Tệp bảng tính bị hỏng (thiếu phần đầu của một thành phần).")
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise FileRefused("Tệp bảng tính bị hỏng (thành phần không đúng chỗ khai báo).")
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    raw = memoryview(data)[begin : begin + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        size = len(raw)
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        size = _inflated_size(raw, min(budget, member.file_size))
    else:
        raise FileRefused("Tệp bảng tính dùng kiểu nén không được hỗ trợ.")
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
            raise FileRefused("Tệp bảng tính bị hỏng (dữ liệu nén lỗi).") from exc
        pending = inflater.unconsumed_tail
        size += len(out)
        if size > limit:
            raise FileRefused(_LIAR)
        if not out and not pending and not chunk:
            break  # the stream ends before its end marker
    if not inflater.eof:
        raise FileRefused("Tệp bảng tính bị hỏng (dữ liệu nén bị cắt).")
    return size


# -- workbooks (python-calamine: XLSX, XLS, ODS) --------------------------------------------------------


def _unreadable(kind: str) -> FileRefused:
    return FileRefused(
        f"Không đọc được tệp {KIND_NAMES[kind]}: tệp bị hỏng hoặc không đúng định dạng. "
        "Hãy mở tệp bằng Excel (hoặc LibreOffice) và lưu lại."
    )


def read_calamine(data: bytes, kind: str) -> Workbook:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise FileRefused("Tệp có mật khẩu: hãy bỏ mật khẩu trong Excel rồi tải lên lại.") from exc
    except (CalamineError, ValueError, OSError, TypeError) as exc:
        raise _unreadable(kind) from exc
    result = Workbook(kind, [])
    try:
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.visible != SheetVisibleEnum.Visible:
                result.skipped.append((meta.name, "trang tính bị ẩn"))
                continue
            sheet = workbook.get_sheet_by_index(index)
            if sheet.total_width > MAX_COLUMNS:
                raise FileRefused(
                    f"Trang “{sheet.name}” có {sheet.total_width} cột; tối đa {MAX_COLUMNS} cột: "
                    "tệp bị từ chối."
                )
            if sheet.total_height > MAX_ROWS + 100:
                raise FileRefused(_too_many_rows(f"Trang “{sheet.name}”"))
            # Absolute coordinates (row 0 = sheet row 1, column 0 = column A), as merged ranges give them.
            rows = [
                [cell[:MAX_CELL_CHARS] if isinstance(cell, str) else cell for cell in row]
                for row in sheet.to_python(skip_empty_area=False)
            ]
            if not any(cell not in ("", None) for row in rows for cell in row):
                result.skipped.append((sheet.name, "trang tính trống"))
                continue
            merged = list(sheet.merged_cell_ranges or [])
            result.sheets.append(Sheet(name=sheet.name, rows=rows, kind=kind, merged=merged))
    except PasswordError as exc:
        raise FileRefused("Tệp có mật khẩu: hãy bỏ mật khẩu trong Excel rồi tải lên lại.") from exc
    except (CalamineError, ValueError, OSError, TypeError) as exc:
        raise _unreadable(kind) from exc
    finally:
        workbook.close()
    return result
