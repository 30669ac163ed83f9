"""How the public pages name a place (issue 21, "one set of names").

From 01/07/2025 the country has two levels of local government: a place is named by its commune and
province of the new generation (no district). A product keeps the unit it was registered under; where that
old name differs from today's, it follows in brackets ("Xã Ba Bể, Tỉnh Thái Nguyên (trước đây: Xã Nam Mẫu,
Tỉnh Bắc Kạn)"), so a card under the "Thái Nguyên" tile no longer reads "Tỉnh Bắc Kạn, Huyện Na Rì". Before
the reform date the old three-level name is the current one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from ocop.geography.selectors import CommuneNames, unit_names
from ocop.legal.periods import REFORM_DATE

from .models import PortalListing


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


def label(
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


def listing_labels(rows: Iterable[PortalListing], day: dt.date) -> dict[int, PlaceLabel]:
    """Listing pk → label; the 2025 names of all rows read in one query."""
    rows = list(rows)
    names: dict[int, str] = {}
    for row in rows:  # units the query already joined (select_related), else one query for all
        for relation in ("new_commune", "new_province"):
            unit = row._state.fields_cache.get(relation)
            if unit is not None:
                names[unit.pk] = unit.name
    wanted = {
        pk for row in rows for pk in (row.new_commune_id, row.new_province_id) if pk and pk not in names
    }
    names.update(unit_names(ids=wanted))
    return {
        row.pk: label(
            commune=row.commune_name,
            district=row.district_name,
            province=row.province_name,
            new_commune=(
                names.get(row.new_commune_id, "")
                if row.new_commune_id is not None and row.new_commune_id != row.commune_id
                else ""
            ),
            new_province=names.get(row.new_province_id, "") if row.new_province_id is not None else "",
            day=day,
        )
        for row in rows
    }


def listing_label(row: PortalListing, day: dt.date) -> PlaceLabel:
    return listing_labels([row], day)[row.pk]


def commune_label(commune_id: int, place: CommuneNames, day: dt.date) -> PlaceLabel:
    """The label of a commune (either generation) from ``geography.selectors.commune_names``."""
    is_new = place.new_commune_id == commune_id
    return label(
        commune=place.name,
        district=place.district,
        province=place.province,
        new_commune="" if is_new else place.new_commune,
        new_province=place.new_province,
        day=day,
    )
