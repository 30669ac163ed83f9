"""Who issued a decision or certificate: the level (district, province, ministry) named by its body on the
decision's date — "Ủy ban nhân dân huyện Ba Bể" (a district abolished on 01/07/2025 still issued what it
issued before), "Ủy ban nhân dân tỉnh Thái Nguyên", "Bộ Nông nghiệp và Môi trường" (called Ministry of
Agriculture and Rural Development before 01/03/2025). Names and grounds come from ocop.legal.periods."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ocop.legal import periods, wording

if TYPE_CHECKING:
    from ocop.geography.models import AdminUnit


@dataclass(frozen=True)
class Issuer:
    level: str
    body: str  # "Ủy ban nhân dân huyện Ba Bể"
    heading: str  # "ỦY BAN NHÂN DÂN HUYỆN BA BỂ"
    authority: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN BA BỂ"
    place: str  # "Ba Bể", "Hà Nội"
    signer_title: str  # "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH" or "BỘ TRƯỞNG"
    abolished_on: dt.date | None = None  # a district's body, gone with the two-level government

    @property
    def short(self) -> str:
        return self.body.replace("Ủy ban nhân dân", "UBND", 1)

    @property
    def signer_role(self) -> str:
        """ "Chủ tịch Ủy ban nhân dân tỉnh …" / "Bộ trưởng Bộ …" (for "của …" in the grounds)."""
        if self.level == periods.MINISTRY:
            return f"Bộ trưởng {self.body}"
        return f"Chủ tịch {self.body}"


def _legacy_predecessor(commune: AdminUnit) -> AdminUnit | None:
    from ocop.geography.models import AdminUnit, Generation, Level

    return (
        AdminUnit.objects.filter(level=Level.COMMUNE, generation=Generation.LEGACY, successor=commune)
        .select_related("parent", "province")
        .order_by("code")
        .first()
    )


def unit_for(level: str, commune: AdminUnit, day: dt.date) -> AdminUnit | None:
    """The district or province (in force on ``day``) whose committee acts for a product of ``commune``."""
    from ocop.geography.models import Generation

    if level == periods.MINISTRY:
        return None
    unit: AdminUnit | None = commune
    if level == periods.DISTRICT:
        if commune.generation == Generation.REFORM_2025:
            unit = _legacy_predecessor(commune)
        return unit.parent if unit is not None else None
    if day >= periods.REFORM_DATE and commune.generation == Generation.LEGACY and commune.successor_id:
        unit = commune.successor
    elif day < periods.REFORM_DATE and commune.generation == Generation.REFORM_2025:
        unit = _legacy_predecessor(commune) or commune
    assert unit is not None
    return unit.province if unit.province_id else unit


def issuer_for(*, level: str, commune: AdminUnit, day: dt.date) -> Issuer:
    """The issuer of a ``level`` decision about a product of ``commune`` dated ``day`` (a district decision
    with no district on record falls back to the province)."""
    if level == periods.MINISTRY:
        return Issuer(
            level=level,
            body=wording.issuing_body(level, day),
            heading=wording.issuer_heading(level, day),
            authority=wording.authority_line(level, day),
            place=wording.place_of(level),
            signer_title=wording.signer_title(level),
        )
    unit = unit_for(level, commune, day)
    if unit is None:
        level, unit = periods.PROVINCE, unit_for(periods.PROVINCE, commune, day)
    assert unit is not None
    abolished = periods.REFORM_DATE if level == periods.DISTRICT else None
    return Issuer(
        level=level,
        body=wording.issuing_body(level, day, unit.name),
        heading=wording.issuer_heading(level, day, unit.name),
        authority=wording.authority_line(level, day, unit.name),
        place=wording.place_of(level, unit.short_name),
        signer_title=f"TM. ỦY BAN NHÂN DÂN\n{wording.signer_title(level)}",
        abolished_on=abolished,
    )


def event_level(event) -> str:
    """The level that issued an event's decision: as recorded, else the one the periods table says decides
    that star on that date (imported lines carry no level; a revocation without one: the province)."""
    if event.issuing_level:
        return str(event.issuing_level)
    if event.stars:
        try:
            level = periods.period_on(event.decision_date).decider(event.stars)
        except periods.NoPeriod:
            level = None
        if level:
            return level
    return periods.PROVINCE


def issuer_of_event(event) -> Issuer:
    return issuer_for(level=event_level(event), commune=event.product.commune, day=event.decision_date)
