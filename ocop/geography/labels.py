"""How every page names an administrative unit (issue 21, "one set of names").

From 01/07/2025 the country has two levels of local government: a place is named by its commune and
province of the new generation (no district). A record keeps the unit it was registered under; where that
old name differs from today's, it follows in brackets ("Xã Ba Bể, Tỉnh Thái Nguyên (trước đây: Xã Nam Mẫu,
Tỉnh Bắc Kạn)"). Before the reform date the old three-level name is the current one. Pickers that list both
generations mark the old units (``unit_label``), so no two options read the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from ocop.legal.periods import REFORM_DATE

if TYPE_CHECKING:
    from .models import AdminUnit

LEGACY_MARK = "cũ, trước 01/07/2025"


@dataclass(frozen=True)
class PlaceLabel:
    current: str
    former: str = ""

    def __str__(self) -> str:
        if not self.former:
            return self.current
        formerly = gettext("trước đây")
        return f"{self.current} ({formerly}: {self.former})"


def _joined(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def place_label(
    *,
    commune: str,
    district: str,
    province: str,
    new_commune: str,
    new_province: str,
    day: dt.date,
) -> PlaceLabel:
    """The label of a place registered under (commune, district, province), known today as (new_commune,
    new_province) — empty when no successor is known, or when the registered unit is itself a 2025 one."""
    if day < REFORM_DATE or not new_commune:
        return PlaceLabel(
            _joined(commune, district, province) if day < REFORM_DATE else _joined(commune, province)
        )
    current = _joined(new_commune, new_province)
    former = _joined(commune, province)
    return PlaceLabel(current, "" if former == current else former)


def _name(unit: AdminUnit | None) -> str:
    return unit.name if unit is not None else ""


def commune_place(commune: AdminUnit, day: dt.date) -> PlaceLabel:
    """A commune (either generation) named as on ``day``; reads parent, province and successor__province
    (select them with the commune)."""
    successor = commune.successor if commune.is_legacy else None
    district = commune.parent if commune.parent_id != commune.province_id else None
    return place_label(
        commune=commune.name,
        district=_name(district),
        province=_name(commune.province),
        new_commune=_name(successor),
        new_province=_name(successor.province) if successor is not None else "",
        day=day,
    )


def province_now(commune: AdminUnit, day: dt.date) -> str:
    """The province of a commune as named on ``day``: after the reform the 2025 province, the registered old
    one in brackets when it differs ("Thái Nguyên (Bắc Kạn cũ)")."""
    old = commune.province.short_name if commune.province is not None else ""
    successor = commune.successor if commune.is_legacy else None
    if day < REFORM_DATE or successor is None or successor.province is None:
        return old
    new = successor.province.short_name
    return new if new == old or not old else f"{new} ({old} cũ)"


def commune_now(commune: AdminUnit, day: dt.date) -> str:
    """The commune as named on ``day``: the 2025 commune, the registered old one in brackets."""
    successor = commune.successor if commune.is_legacy else None
    if day < REFORM_DATE or successor is None or successor.name == commune.name:
        return commune.name
    return f"{successor.name} ({commune.name} cũ)"


def unit_label(unit: AdminUnit) -> str:
    """A unit as listed in a picker: its name, the province (and district) of a commune or district, and the
    old generation marked — "Tỉnh Thái Nguyên" and "Tỉnh Thái Nguyên (cũ, trước 01/07/2025)" are two units.
    Reads parent and province (select them with the unit)."""
    places = [
        getattr(unit, field).short_name
        for field in ("parent", "province")
        if getattr(unit, f"{field}_id") not in (None, unit.pk)  # a province is its own province: no query
    ]
    within = list(dict.fromkeys(places))  # parent and province coincide for 2025 communes
    notes = [", ".join(within)] if within else []
    if unit.is_legacy:
        notes.append(LEGACY_MARK)
    return f"{unit.name} ({'; '.join(notes)})" if notes else unit.name
