"""Column headers of recognition lists (SPEC §5.3): canonical names, the aliases officers use, and the
detection of the header row below any title rows.

A header cell matches when its compact folded form (no case, diacritics, spaces or punctuation; a trailing
"(*)" or "(1)" note dropped) equals that of a canonical name or alias. Aliases beyond the SPEC are the ones
found in published provincial lists: "Tên SP", "Số QĐ", "Ngày QĐ", "Phân hạng"/"Xếp hạng"/"Hạng" for the
star, "Tên cơ sở"/"Đơn vị" for the producer, "Địa chỉ (xã)", "Mã số thuế"/"MST"/"Mã số doanh nghiệp".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ocop.core.text import fold_compact

STT = "STT"
PRODUCT = "Tên sản phẩm"
ENTITY = "Chủ thể"
ENTITY_TYPE = "Loại hình chủ thể"
COMMUNE = "Xã"
DISTRICT = "Huyện"
PROVINCE = "Tỉnh"
GROUP = "Nhóm sản phẩm"
STARS = "Hạng sao"
SCORE = "Điểm"
DECISION_NUMBER = "Số quyết định"
DECISION_DATE = "Ngày quyết định"
KIND = "Hình thức"
TAX_CODE = "Mã số thuế"

CANONICAL = (
    STT,
    PRODUCT,
    ENTITY,
    ENTITY_TYPE,
    COMMUNE,
    DISTRICT,
    PROVINCE,
    GROUP,
    STARS,
    SCORE,
    DECISION_NUMBER,
    DECISION_DATE,
    KIND,
    TAX_CODE,
)
REQUIRED = (PRODUCT, ENTITY, COMMUNE, STARS, DECISION_DATE)

ALIASES: dict[str, tuple[str, ...]] = {
    STT: ("TT", "Số TT", "Số thứ tự", "No"),
    PRODUCT: (
        "Tên SP",
        "Sản phẩm",
        "Tên sản phẩm OCOP",
        "Sản phẩm OCOP",
        "Tên sản phẩm/dịch vụ",
        "Tên sản phẩm, dịch vụ",
    ),
    ENTITY: (
        "Tên chủ thể",
        "Chủ thể sản xuất",
        "Chủ thể OCOP",
        "Tên chủ thể sản xuất",
        "Tên chủ thể OCOP",
        "Tên cơ sở",
        "Cơ sở sản xuất",
        "Đơn vị",
        "Tên đơn vị",
        "Đơn vị sản xuất",
        "Chủ thể kinh tế",
        "Tên chủ thể kinh tế",
        "Chủ sản phẩm",
        "Tên HTX/DN/hộ",
    ),
    ENTITY_TYPE: (
        "Loại hình",
        "Loại chủ thể",
        "Loại hình tổ chức",
        "Loại hình doanh nghiệp",
        "Loại hình kinh tế",
        "Hình thức tổ chức",
    ),
    COMMUNE: (
        "Xã/phường/thị trấn",
        "Xã/phường",
        "Phường/xã",
        "Xã, phường, thị trấn",
        "Xã/phường/đặc khu",
        "Xã/phường/thị trấn/đặc khu",
        "Địa chỉ (xã)",
        "Đơn vị cấp xã",
        "Cấp xã",
        "Tên xã",
        "Phường",
    ),
    DISTRICT: (
        "Huyện/TP",
        "Huyện/thành phố",
        "Huyện/thị xã/thành phố",
        "Huyện/thành phố/thị xã",
        "Huyện/thị xã",
        "Quận/huyện",
        "Huyện/quận",
        "Đơn vị cấp huyện",
        "Cấp huyện",
        "Tên huyện",
    ),
    PROVINCE: ("Tỉnh/Thành phố", "Tỉnh/TP", "Tỉnh, thành phố", "Tỉnh thành", "Tỉnh/thành", "Tên tỉnh"),
    GROUP: ("Nhóm", "Nhóm SP", "Ngành hàng", "Nhóm ngành", "Nhóm ngành hàng", "Phân nhóm"),
    STARS: (
        "Số sao",
        "Xếp hạng",
        "Phân hạng",
        "Hạng",
        "Sao",
        "Hạng sao OCOP",
        "Xếp hạng sao",
        "Kết quả xếp hạng",
        "Kết quả phân hạng",
        "Hạng OCOP",
        "Số sao đạt",
    ),
    SCORE: ("Tổng điểm", "Điểm đánh giá", "Điểm số", "Số điểm", "Điểm chấm", "Tổng điểm đánh giá"),
    DECISION_NUMBER: (
        "Quyết định số",
        "Số QĐ",
        "QĐ số",
        "Số quyết định công nhận",
        "Quyết định",
        "Số hiệu quyết định",
        "Số QĐ công nhận",
    ),
    DECISION_DATE: (
        "Ngày ban hành",
        "Ngày QĐ",
        "Ngày công nhận",
        "Ngày ký",
        "Ngày ký quyết định",
        "Ngày ban hành quyết định",
        "Ngày quyết định công nhận",
        "Ngày",
    ),
    KIND: ("Loại công nhận", "Hình thức công nhận", "Loại quyết định", "Hình thức quyết định"),
    TAX_CODE: (
        "MST",
        "Mã số doanh nghiệp",
        "Mã số DN",
        "Số đăng ký kinh doanh",
        "Số ĐKKD",
        "Mã số ĐKKD",
        "Mã số đăng ký",
        "Số đăng ký",
    ),
}

_NOTE = re.compile(r"\(\s*(?:\*+|\d{1,2}|[a-z])\s*\)\s*$", re.IGNORECASE)
HEADER_SCAN_ROWS = 30


@lru_cache(maxsize=16_384)
def header_key(text: object) -> str:
    cleaned = _NOTE.sub("", str(text or "").strip()).replace("*", "")
    return fold_compact(cleaned)


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name in CANONICAL:
        index[header_key(name)] = name
    for name, aliases in ALIASES.items():
        for alias in aliases:
            key = header_key(alias)
            if key in index and index[key] != name:
                raise ValueError(f"alias {alias!r} clashes with {index[key]!r}")
            index[key] = name
    return index


HEADER_INDEX = _build_index()


def canonical_for(text: object) -> str | None:
    return HEADER_INDEX.get(header_key(text))


# The first three letters (folded, compact) of every header text naming the product column: a product cell
# starting otherwise cannot be a repeated header, and is not folded whole to find out.
_PRODUCT_HEADS = frozenset(key[:3] for key, name in HEADER_INDEX.items() if name == PRODUCT)


def may_name_product(text: str) -> bool:
    head = _head(text[:8])
    return len(head) < 3 or head in _PRODUCT_HEADS


@lru_cache(maxsize=16_384)
def _head(text: str) -> str:
    return fold_compact(text)[:3]


@dataclass
class Header:
    row_index: int  # index into the sheet's rows
    columns: dict[str, int]  # canonical name → column index
    labels: dict[str, str]  # canonical name → header text as written in the file
    ignored: list[str]  # header cells that matched nothing (shown in the preview)

    @property
    def missing(self) -> list[str]:
        return [name for name in REQUIRED if name not in self.columns]


def match_row(row: list[object]) -> Header:
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(row):
        text = " ".join(str(cell).split()) if cell not in (None, "") else ""
        if not text:
            continue
        name = canonical_for(text)
        if name is None:
            ignored.append(text)
        elif name not in columns:  # the first of two columns with the same meaning wins
            columns[name] = index
            labels[name] = text
    return Header(row_index=-1, columns=columns, labels=labels, ignored=ignored)


def find_header(rows: list[list[object]]) -> Header | None:
    """The row among the first ones that names the most known columns (at least a product name and two
    other columns); title rows ("DANH SÁCH SẢN PHẨM OCOP NĂM 2021…") match nothing and are skipped."""
    best: Header | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        header = match_row(row)
        if PRODUCT not in header.columns or len(header.columns) < 3:
            continue
        if best is None or len(header.columns) > len(best.columns):
            header.row_index = index
            best = header
    return best
