"""Where to buy and when to meet (issue 23): the public directory of points of sale, the fair calendar and the
map's points, assembled from the support records (``ocop.support.selectors``) and the portal's listing.

Places are named by today's units (``placenames``). A point of sale shows only the products it carries whose
certificate is in force; a fair shows the products entered for it, or else those in force of its producers.
Map points: products in force grouped by the coordinates of their commune (the listing holds them: the
registered commune's, else its successor's), and points of sale at their own coordinates or their commune's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from ocop.geography.selectors import (
    CommuneNames,
    commune_ids_covered_by,
    commune_names,
    communes_2025_located,
    unit_get,
    unit_names,
    unit_points,
    unit_short_names,
)
from ocop.support.selectors import (
    fair_entities,
    fair_product_ids,
    point_counts_by_commune,
    point_product_ids,
    public_points_of_sale,
)

from .models import PortalListing
from .placenames import PlaceLabel, commune_label
from .search import base_listing
from .sitemaps import path_of
from .slugs import slug_for

if TYPE_CHECKING:
    from ocop.geography.models import AdminUnit
    from ocop.support.models import PointOfSale, TradeFair


def english_or(record: Any, field_name: str) -> str:
    """``record.<field>_en`` on the English pages when it was entered, else the Vietnamese text."""
    if get_language() == "en":
        text = getattr(record, f"{field_name}_en", "")
        if text:
            return text
    return getattr(record, field_name, "")


@dataclass
class Place:
    """A point of sale as the public pages show it."""

    point: PointOfSale
    label: PlaceLabel
    name: str
    url: str
    latitude: float | None
    longitude: float | None

    @property
    def kind(self) -> str:
        return self.point.get_kind_display()


def place_url(point: PointOfSale) -> str:
    return reverse("portal:place", args=[point.pk, slug_for(point.name)])


def fair_url(fair: TradeFair) -> str:
    return reverse("portal:fair", args=[fair.pk, slug_for(fair.name)])


def places_of(points: Iterable[PointOfSale], day: dt.date) -> list[Place]:
    points = list(points)
    known = commune_names(ids=[point.commune_id for point in points])
    out = []
    for point in points:
        commune = known.get(point.commune_id)
        lat, lon = point.latitude, point.longitude
        if (lat is None or lon is None) and commune is not None:
            lat, lon = commune.latitude, commune.longitude
        label = commune_label(point.commune_id, commune, day) if commune else PlaceLabel(point.commune.name)
        out.append(Place(point, label, english_or(point, "name"), place_url(point), lat, lon))
    return out


def current_province_of(place: CommuneNames) -> int | None:
    return place.new_province_id or place.province_id


@dataclass
class Directory:
    """The /diem-ban/ page: provinces and communes to pick from, and the open points of the pick."""

    provinces: list[tuple[int, str, int]]  # (2025 province id, name, open points)
    communes: list[tuple[int, str]]  # 2025 communes of the picked province that have points
    points: QuerySet[PointOfSale]
    province: AdminUnit | None = None
    commune_id: int | None = None


def directory(*, day: dt.date, province: AdminUnit | None, commune_id: int | None) -> Directory:
    counts = point_counts_by_commune(day=day)
    known = commune_names(ids=counts)
    by_province: dict[int, int] = defaultdict(int)
    communes: dict[int, str] = {}
    for commune, n in counts.items():
        place = known.get(commune)
        place_province = current_province_of(place) if place is not None else None
        if place is None or place_province is None:
            continue
        by_province[place_province] += n
        if province is not None and place_province == province.pk and place.new_commune_id:
            communes[place.new_commune_id] = place.new_commune
    names = unit_short_names(ids=by_province)  # province names for the filter
    provinces = sorted(((pk, names.get(pk, ""), n) for pk, n in by_province.items()), key=lambda p: p[1])
    points = public_points_of_sale(day=day)
    if province is not None:
        points = public_points_of_sale(day=day, commune_ids=commune_ids_covered_by(province))
    if commune_id is not None and commune_id in communes:
        chosen = unit_get(pk=commune_id)
        if chosen is not None:
            points = public_points_of_sale(day=day, commune_ids=commune_ids_covered_by(chosen))
    else:
        commune_id = None
    return Directory(
        provinces,
        sorted(communes.items(), key=lambda c: c[1]),
        points,
        province=province,
        commune_id=commune_id,
    )


def products_in_force(ids: Iterable[int]) -> list[PortalListing]:
    """The listed products among ``ids`` whose certificate is in force today, best first."""
    wanted = list(ids)
    if not wanted:
        return []
    return list(base_listing().filter(pk__in=wanted).order_by("-stars", "name_key")[:200])


def point_products(point: PointOfSale) -> list[PortalListing]:
    return products_in_force(point_product_ids(point=point))


@dataclass
class FairPage:
    fair: TradeFair
    label: PlaceLabel
    name: str
    entities: list[tuple[int, str, str]]  # (id, name, public page or "")
    products: list[PortalListing]
    products_entered: bool  # products named for the fair (else: its producers' products in force)
    latitude: float | None = None
    longitude: float | None = None


def fair_page(fair: TradeFair, day: dt.date) -> FairPage:
    place = commune_names(ids=[fair.commune_id]).get(fair.commune_id)
    label = commune_label(fair.commune_id, place, day) if place else PlaceLabel(fair.commune.name)
    entered = fair_product_ids(fair=fair)
    entities = fair_entities(fair=fair)
    listed = set(
        PortalListing.objects.filter(entity_id__in=[pk for pk, _name in entities]).values_list(
            "entity_id", flat=True
        )
    )
    pages = [
        (pk, name, reverse("portal:entity", args=[pk, slug_for(name)]) if pk in listed else "")
        for pk, name in entities
    ]
    if entered:
        products = list(PortalListing.objects.filter(pk__in=entered).order_by("-stars", "name_key")[:200])
    else:
        products = list(
            base_listing()
            .filter(entity_id__in=[pk for pk, _name in entities])
            .order_by("-stars", "name_key")[:200]
        )
    lat, lon = fair.latitude, fair.longitude
    if (lat is None or lon is None) and place is not None:
        lat, lon = place.latitude, place.longitude
    return FairPage(fair, label, english_or(fair, "name"), pages, products, bool(entered), lat, lon)


@dataclass
class FairRow:
    fair: TradeFair
    label: PlaceLabel
    name: str
    url: str
    running: bool = False


def fair_rows(fairs: list[TradeFair], day: dt.date) -> list[FairRow]:
    known = commune_names(ids=[fair.commune_id for fair in fairs])
    rows = []
    for fair in fairs:
        place = known.get(fair.commune_id)
        label = commune_label(fair.commune_id, place, day) if place else PlaceLabel(fair.commune.name)
        rows.append(
            FairRow(
                fair, label, english_or(fair, "name"), fair_url(fair), fair.start_date <= day <= fair.end_date
            )
        )
    return rows


# -- the map -------------------------------------------------------------------------------------------------
@dataclass
class MapData:
    communes: list[list[Any]] = field(default_factory=list)  # [lat, lon, products, commune id, commune name]
    places: list[list[Any]] = field(default_factory=list)  # [lat, lon, name, url]

    def as_json(self) -> dict[str, Any]:
        return {"communes": self.communes, "places": self.places}


def map_data(*, listing: QuerySet[PortalListing], points: list[tuple], day: dt.date) -> MapData:
    """Products (the filtered listing) counted per commune of today, at the commune's coordinates, and the
    points of sale (``support.selectors.public_point_rows``) at theirs, or their commune's. A marker's
    products are read when it is opened (``commune_products``): the national map is about 3,000 markers, not
    20,000 products; a point of sale links to its short address (one redirect to the named one)."""
    # COUNT(*), not of the key: SQLite then answers from listing_newcommune_idx alone (the bigint primary
    # key is no rowid alias, so counting it reads every row).
    counts = dict(
        listing.exclude(new_commune_id=None).values_list("new_commune_id").annotate(n=Count("*")).order_by()
    )
    data = MapData()
    for pk, name, lat, lon in communes_2025_located():
        if pk in counts:
            data.communes.append([round(lat, 5), round(lon, 5), counts[pk], pk, name])
    english = get_language() == "en"
    located = {
        pk: (lat, lon)
        for pk, _name, lat, lon in unit_points(ids=[row[3] for row in points if row[4] is None])
    }
    for pk, name, name_en, commune_id, lat, lon in points:
        if lat is None or lon is None:
            lat, lon = located.get(commune_id, (None, None))
        if lat is not None and lon is not None:
            url = path_of("portal:place_short", pk)
            data.places.append([round(lat, 5), round(lon, 5), (english and name_en) or name, url])
    return data


def commune_products(
    *, listing: QuerySet[PortalListing], commune_id: int, search_url: str, limit: int = 10
) -> dict[str, Any]:
    """A map marker's content: the commune, its products of the filtered listing (best first) and the address
    of the full list."""
    from ocop.products.selectors import product_english_names

    rows = list(
        listing.filter(new_commune_id=commune_id)
        .order_by("-stars", "name_key")
        .values_list("pk", "name", "slug", "stars")[: limit + 1]
    )
    english = product_english_names(ids=[row[0] for row in rows]) if get_language() == "en" else {}
    names = unit_names(ids=[commune_id])
    return {
        "name": names.get(commune_id, ""),
        "count": listing.filter(new_commune_id=commune_id).count() if len(rows) > limit else len(rows),
        "url": f"{search_url}xa={commune_id}",
        "products": [
            [english.get(pk, name), reverse("portal:product", args=[pk, slug]), stars]
            for pk, name, slug, stars in rows[:limit]
        ],
    }
