"""What documents print, by level and date: the issuing body (a district's or province's People's Committee,
the ministry by its name on that date), who signs for it, where it sits, and the legal grounds in force."""

from __future__ import annotations

import datetime as dt

from .periods import MINISTRY, NoPeriod, ministry_name, period_on

LOCAL_GOVERNMENT_GROUND = "Căn cứ Luật Tổ chức chính quyền địa phương;"
MINISTRY_PLACE = "Hà Nội"


def issuing_body(level: str, day: dt.date, unit_name: str = "") -> str:
    """The body issuing a document of ``level`` on ``day``: "Ủy ban nhân dân huyện Ba Bể",
    "Ủy ban nhân dân tỉnh Thái Nguyên", "Bộ Nông nghiệp và Môi trường". ``unit_name`` is the district's or
    province's full name ("Huyện Ba Bể")."""
    if level == MINISTRY:
        return ministry_name(day)
    if not unit_name:
        raise ValueError("unit_name is required for a local issuing body")
    return f"Ủy ban nhân dân {unit_name[:1].lower()}{unit_name[1:]}"


def issuer_heading(level: str, day: dt.date, unit_name: str = "") -> str:
    """The issuing body as printed at the top left of a document (capitals)."""
    return issuing_body(level, day, unit_name).upper()


def authority_line(level: str, day: dt.date, unit_name: str = "") -> str:
    """Who signs for the body, as printed above the grounds: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …"."""
    return f"{signer_title(level)} {issuer_heading(level, day, unit_name)}"


def signer_title(level: str) -> str:
    return "BỘ TRƯỞNG" if level == MINISTRY else "CHỦ TỊCH"


def place_of(level: str, unit_short_name: str = "") -> str:
    return MINISTRY_PLACE if level == MINISTRY else unit_short_name


def legal_grounds(level: str, day: dt.date) -> list[str]:
    """The grounds (căn cứ) in force on ``day`` for a document issued at ``level`` (before the first national
    rules: only the body's own ground)."""
    try:
        instruments = period_on(day).instruments_on(day)
    except NoPeriod:
        instruments = ()
    if level == MINISTRY:
        first = (
            "Căn cứ Nghị định của Chính phủ quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của "
            f"{ministry_name(day)};"
        )
    else:
        first = LOCAL_GOVERNMENT_GROUND
    return [first, *(i.ground for i in instruments)]
