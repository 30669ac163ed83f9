"""Column headers of recognition lists (SPEC §5.3): canonical names and the aliases officers use. The header
itself — one line or two below any title rows, merged headings — is found by ``ocop.core.tabular.headers``.

A header cell matches when its compact folded form (no case, diacritics, spaces or punctuation; a trailing
"(*)" or "(1)" note dropped) equals that of a canonical name or alias. Aliases beyond the SPEC are the ones
found in published provincial lists: "Tên SP", "Số QĐ", "Ngày QĐ", "Phân hạng"/"Xếp hạng"/"Hạng" for the
star, "Tên cơ sở"/"Đơn vị" for the producer, "Địa chỉ (xã)", "Mã số thuế"/"MST"/"Mã số doanh nghiệp". Under
a parent heading a column is named by child and parent together: "Số" under "Quyết định công nhận" is
"Số quyết định công nhận", an alias of ``Số quyết định``.
"""

from __future__ import annotations

from ocop.core.tabular.headers import Header, Merged, header_key
from ocop.core.tabular.headers import find_header as _find_header

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


def _is_list(columns: dict[str, int]) -> bool:
    """A recognition list's header names the product and at least two other columns."""
    return PRODUCT in columns and len(columns) >= 3


def find_header(rows: list[list[object]], merged: Merged = ()) -> Header | None:
    """The header of a recognition list (one or two lines, below any title rows), or None."""
    return _find_header(rows, canonical_for=canonical_for, accept=_is_list, merged=merged)


def missing(header: Header) -> list[str]:
    return [name for name in REQUIRED if name not in header.columns]
