"""What a failed lookup of a typed unit name tells the user: the errors the resolver raises and their
Vietnamese messages (the unit named with what it belongs to, look-alikes, the other generation's units)."""

from __future__ import annotations

from ocop.legal.periods import REFORM_DATE

from .choices import Generation, Level
from .models import AdminUnit

MAX_LISTED = 10  # candidates named in an ambiguity message; .candidates has them all
LEVEL_NOUN: dict[str, str] = {Level.PROVINCE: "tỉnh", Level.DISTRICT: "huyện", Level.COMMUNE: "xã"}


def unit_label(unit: AdminUnit) -> str:
    """ "Xã Tân Lập (Huyện Chợ Đồn, Tỉnh Bắc Kạn)" — the name with what it belongs to."""
    context = []
    parent = unit.parent if unit.parent_id else None
    if parent is not None and parent.level == Level.DISTRICT:
        context.append(parent.name)
    if unit.level != Level.PROVINCE:
        province = unit.province if unit.province_id else parent
        if province is not None:
            context.append(province.name)
    if unit.level == Level.PROVINCE:
        context.append("trước 01/07/2025" if unit.is_legacy else "từ 01/07/2025")
    return f"{unit.name} ({', '.join(context)})" if context else unit.name


class UnitLookupError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnitNotFound(UnitLookupError):
    def __init__(self, message: str, suggestions: list[AdminUnit] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class UnitAmbiguous(UnitLookupError):
    def __init__(self, text: str, candidates: list[AdminUnit]) -> None:
        self.candidates = candidates
        listed = "; ".join(unit_label(c) for c in candidates[:MAX_LISTED])
        if len(candidates) > MAX_LISTED:
            listed += f"; … và {len(candidates) - MAX_LISTED} đơn vị khác"
        super().__init__(
            f"Có nhiều đơn vị tên “{text}”: {listed}. Hãy ghi rõ loại đơn vị hoặc đơn vị cấp trên."
        )


def generation_note(found: list[AdminUnit], *, wanted: str | None) -> str:
    """Why units of the other generation do not do ("" when there are none): the row's date asks for
    ``wanted`` (SPEC §5.3: rows before 01/07/2025 name old units, later rows new ones)."""
    if not found or not wanted:
        return ""
    labels = (unit.name if unit.level == Level.PROVINCE else unit_label(unit) for unit in found[:MAX_LISTED])
    names = "; ".join(dict.fromkeys(labels))
    day = f"{REFORM_DATE:%d/%m/%Y}"
    if wanted == Generation.LEGACY:
        return (
            f"Dòng có ngày quyết định trước {day} phải ghi đơn vị hành chính trước sắp xếp "
            f"(63 tỉnh, có cấp huyện); {names} là đơn vị từ {day}."
        )
    return (
        f"Dòng có ngày quyết định từ {day} phải ghi đơn vị hành chính sau sắp xếp "
        f"(34 tỉnh, không có cấp huyện); {names} là đơn vị trước {day}."
    )
