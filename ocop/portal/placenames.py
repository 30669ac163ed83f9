"""How the public pages name a listed place: the rule of ``ocop.geography.labels`` applied to the read
model's rows (a card under the "Thái Nguyên" tile no longer reads "Tỉnh Bắc Kạn, Huyện Na Rì")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ocop.geography.labels import PlaceLabel, place_label
from ocop.geography.selectors import CommuneNames, unit_names

from .models import PortalListing


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
        row.pk: place_label(
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
    return place_label(
        commune=place.name,
        district=place.district,
        province=place.province,
        new_commune="" if is_new else place.new_commune,
        new_province=place.new_province,
        day=day,
    )
