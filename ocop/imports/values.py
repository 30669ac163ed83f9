"""Cell values of recognition lists as officers type them (SPEC §5.3). Each parser returns the value or
raises ValueError with a Vietnamese message naming what was found."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ocop.certification.choices import EventKind
from ocop.core.tabular.cells import parse_date as _parse_date
from ocop.core.tabular.cells import shown, text, text_of_str
from ocop.core.text import fold
from ocop.core.text import fold_compact as _fold_compact_uncached
from ocop.producers.choices import EntityType
from ocop.producers.models import tax_code_validator
from ocop.products.loader import ROMAN_CODES, group_code_for

EARLIEST = dt.date(2010, 1, 1)  # Quảng Ninh ran OCOP from 2013; nothing older is a recognition

# Lists repeat the same cells thousands of times: remember their compact forms (``fold`` remembers its own).
fold_compact = lru_cache(maxsize=65_536)(_fold_compact_uncached)

__all__ = ["fold", "shown", "text", "text_of_str"]


def parse_date(value: object, *, today: dt.date | None = None) -> dt.date | None:
    """A decision date (``ocop.core.tabular.cells.parse_date``), never before EARLIEST."""
    return _parse_date(value, today=today, earliest=EARLIEST)


# -- stars --------------------------------------------------------------------------------------------

_STARS = re.compile(r"^([0-9]+)(?:[.,]0+)?\s*(?:sao|\*+|★+|☆+|s)?(?:\s*ocop)?$")


def parse_stars(value: object) -> int | None:
    """3, 3.0, "3", "3 sao", "3*", "3★", "★★★" → 3; empty → None; 1–5 only."""
    if isinstance(value, bool):
        raise ValueError("Hạng sao không hợp lệ.")
    if isinstance(value, int | float):
        if float(value) != int(value):
            raise ValueError(f"Hạng sao “{text(value)}” phải là số nguyên từ 1 đến 5.")
        stars = int(value)
    else:
        raw = text(value)
        if not raw:
            return None
        folded = fold(raw).replace("☆", "★")
        if set(folded) <= {"★", "*"} and len(folded) <= 5:
            stars = len(folded)
        else:
            found = _STARS.match(folded)
            if not found:
                raise ValueError(f"Hạng sao “{shown(raw)}” không hiểu được; ghi 1–5 hoặc “3 sao”.")
            stars = int(found.group(1))
    if not 1 <= stars <= 5:
        raise ValueError(f"Hạng sao phải từ 1 đến 5 (đang ghi {stars}).")
    return stars


# -- score --------------------------------------------------------------------------------------------


def parse_score(value: object) -> Decimal | None:
    if isinstance(value, bool):
        raise ValueError("Điểm không hợp lệ.")
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        raw = text(value).replace(" ", "")
        if not raw:
            return None
        raw = raw.removesuffix("điểm").removesuffix("đ")
        if raw.count(",") == 1 and "." not in raw:
            raw = raw.replace(",", ".")  # Vietnamese decimal comma: "91,14"
        try:
            number = Decimal(raw)
        except InvalidOperation as exc:
            raise ValueError(f"Điểm “{shown(value)}” không phải là số.") from exc
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError(f"Điểm phải từ 0 đến 100 (đang ghi {text(value)}).")
    return number.quantize(Decimal("0.01"))


# -- Hình thức ----------------------------------------------------------------------------------------

KIND_WORDS: dict[str, str] = {}
for _kind, _words in {
    EventKind.NEW: ("Công nhận mới", "Công nhận", "Mới", "CN mới", "Công nhận lần đầu", "Lần đầu"),
    EventKind.UPGRADE: ("Nâng hạng", "Nâng sao", "Nâng hạng sao", "Nâng cấp hạng", "Công nhận nâng hạng"),
    EventKind.RENEWAL: (
        "Công nhận lại",
        "Đánh giá lại",
        "Tái công nhận",
        "CN lại",
        "Đánh giá, công nhận lại",
        "Công nhận lại (hết hạn)",
    ),
    EventKind.REVOCATION: (
        "Thu hồi",
        "Thu hồi công nhận",
        "Thu hồi giấy chứng nhận",
        "Thu hồi quyết định",
        "Thu hồi GCN",
    ),
}.items():
    for _word in _words:
        KIND_WORDS[fold_compact(_word)] = _kind


def parse_kind(value: object) -> str | None:
    raw = text(value)
    if not raw:
        return None
    kind = KIND_WORDS.get(fold_compact(raw))
    if kind is None:
        raise ValueError(
            f"Hình thức “{shown(raw)}” không rõ; dùng: Công nhận mới, Nâng hạng, Công nhận lại hoặc Thu hồi."
        )
    return kind


# -- Loại hình chủ thể ----------------------------------------------------------------------------------

ENTITY_TYPE_WORDS: dict[str, str] = {}
for _type, _words in {
    EntityType.HTX: ("HTX", "Hợp tác xã", "Liên hiệp HTX", "Liên hiệp hợp tác xã", "LH HTX"),
    EntityType.DOANH_NGHIEP: (
        "Công ty",
        "Doanh nghiệp",
        "DN",
        "DNTN",
        "Doanh nghiệp tư nhân",
        "Công ty TNHH",
        "Công ty cổ phần",
        "Công ty CP",
        "Cty",
        "TNHH",
        "CTCP",
        "Doanh nghiệp nhỏ và vừa",
    ),
    EntityType.TO_HOP_TAC: ("Tổ hợp tác", "THT", "Tổ HT", "Tổ sản xuất", "Nhóm hộ"),
    EntityType.HO_KINH_DOANH: (
        "Hộ kinh doanh",
        "HKD",
        "Hộ gia đình",
        "Hộ sản xuất",
        "Hộ sản xuất kinh doanh",
        "Cơ sở",
        "Cơ sở sản xuất",
        "Cơ sở sản xuất kinh doanh",
        "Hộ",
        "Cá nhân",
        "Hộ kinh doanh cá thể",
        "Hộ cá thể",
    ),
}.items():
    for _word in _words:
        ENTITY_TYPE_WORDS[fold_compact(_word)] = _type

# Name prefixes that tell the type when the column is empty (folded like the names, with a trailing space).
_NAME_PREFIXES = tuple(
    (fold(prefix) + " ", entity_type)
    for prefix, entity_type in (
        ("HTX", EntityType.HTX),
        ("Hợp tác xã", EntityType.HTX),
        ("Liên hiệp HTX", EntityType.HTX),
        ("Liên hiệp hợp tác xã", EntityType.HTX),
        ("Công ty", EntityType.DOANH_NGHIEP),
        ("Cty", EntityType.DOANH_NGHIEP),
        ("Doanh nghiệp", EntityType.DOANH_NGHIEP),
        ("DNTN", EntityType.DOANH_NGHIEP),
        ("Tổ hợp tác", EntityType.TO_HOP_TAC),
        ("THT", EntityType.TO_HOP_TAC),
    )
)


def parse_entity_type(value: object, entity_name: str) -> str:
    raw = text(value)
    if raw:
        found = ENTITY_TYPE_WORDS.get(fold_compact(raw))
        if found is None:
            raise ValueError(
                f"Loại hình chủ thể “{shown(raw)}” không rõ; dùng: HTX, Doanh nghiệp, Tổ hợp tác "
                "hoặc Hộ kinh doanh."
            )
        return found
    folded = fold(" ".join(entity_name.split()[:6])) + " "  # the prefixes have at most 5 words; cache hits
    for prefix, entity_type in _NAME_PREFIXES:
        if folded.startswith(prefix):
            return entity_type
    return EntityType.HO_KINH_DOANH


# -- tax code -----------------------------------------------------------------------------------------


def parse_tax_code(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        raw = str(value)
        if len(raw) == 9:
            raw = "0" + raw  # a number cell drops the leading zero of codes like 0101234567
    else:
        raw = text(value).replace(" ", "")
    if not raw:
        return ""
    if not tax_code_validator.regex.match(raw):  # the entity's own rule (forms check the same)
        raise ValueError(f"Mã số thuế “{shown(raw)}” không hợp lệ (10 chữ số, có thể thêm -XXX).")
    return raw


# -- Nhóm sản phẩm ------------------------------------------------------------------------------------

# "1".."6", "01", "Nhóm 1", "nhóm sản phẩm 2", "Nhóm 3: …": the groups numbered like I–VI (148/2023).
_GROUP_NUMBER = re.compile(r"^(?:nhom(?: san pham)?\s*)?0?([1-6])(?:\s*[.:)\-–—/,]?\s+(.*)|[.:)]?)$")


def parse_group(value: object) -> str:
    """A group written as its code I–VI, its number 1–6 ("Nhóm 1") or its name → "I".."VI"; empty → ""."""
    group_text = text(value)
    if not group_text:
        return ""
    numbered = _GROUP_NUMBER.match(fold(group_text))
    if numbered:
        number, name = numbered.groups()
        # A known name after the number wins (1048/2019 numbered its groups differently).
        return (group_code_for(name) if name else None) or ROMAN_CODES[int(number) - 1]
    code = group_code_for(group_text)
    if not code:
        raise ValueError(
            f"Không nhận ra nhóm sản phẩm “{shown(group_text)}” (ghi tên nhóm, mã I–VI hoặc số 1–6)."
        )
    return code
