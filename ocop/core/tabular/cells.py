"""Cell values as people type them in spreadsheets: display text and dates. Parsers raise ValueError with a
Vietnamese message naming what was found."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ocop.core.text import fold, is_ascii_digits, normalize_display

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Nothing the system records (OCOP ran from 2013 in Quảng Ninh; its support records follow) is older.
EARLIEST = dt.date(2010, 1, 1)

# Lists repeat the same names thousands of times: remember the normalised forms.
text_of_str = lru_cache(maxsize=65_536)(normalize_display)  # ``text`` of a str cell ("" stays "")
_folded = lru_cache(maxsize=65_536)(fold)


def text(value: object) -> str:
    """A cell as display text (NFC, spaces collapsed); whole floats lose their ".0"."""
    if value is None or value == "":
        return ""
    if type(value) is str:
        return text_of_str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return text_of_str(str(value))


def shown(value: object, limit: int = 60) -> str:
    """The cell's text, cut to ``limit`` characters for a message."""
    value = text(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


_DMY = re.compile(
    r"^(?:ngay\s*)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_VN_LONG = re.compile(r"^ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")


def _checked(year: int, month: int, day: int, raw: str, today: dt.date, earliest: dt.date) -> dt.date:
    try:
        result = dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"Ngày “{raw}” không có thật.") from exc
    if result < earliest:
        raise ValueError(f"Ngày {result:%d/%m/%Y} quá sớm (trước năm {earliest.year}).")
    if result > today:
        raise ValueError(f"Ngày {result:%d/%m/%Y} ở tương lai.")
    return result


def parse_date(
    value: object, *, today: dt.date | None = None, earliest: dt.date = EARLIEST
) -> dt.date | None:
    """Real spreadsheet dates (date/datetime or an Excel serial number), dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy,
    ISO, "ngày 30 tháng 6 năm 2021"; empty → None. Never after ``today``, never before ``earliest``."""
    today = today or dt.date.today()
    if isinstance(value, dt.datetime):
        return _checked(value.year, value.month, value.day, text(value), today, earliest)
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day, text(value), today, earliest)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise ValueError(f"Ngày “{text(value)}” không hợp lệ.")
        day = EXCEL_EPOCH + dt.timedelta(days=int(value))
        return _checked(day.year, day.month, day.day, text(value), today, earliest)
    raw = text(value)
    if not raw:
        return None
    folded = _folded(raw)
    for pattern, order in ((_DMY, (3, 2, 1)), (_ISO, (1, 2, 3)), (_VN_LONG, (3, 2, 1))):
        found = pattern.match(folded)
        if found:
            year, month, day = (int(found.group(index)) for index in order)
            return _checked(year, month, day, raw, today, earliest)
    if is_ascii_digits(folded) and 20000 <= int(folded) <= 80000:  # a serial that lost its date format
        serial = EXCEL_EPOCH + dt.timedelta(days=int(folded))
        return _checked(serial.year, serial.month, serial.day, raw, today, earliest)
    raise ValueError(f"Ngày “{shown(raw)}” không đúng dạng ngày/tháng/năm (vd. 30/06/2021).")
