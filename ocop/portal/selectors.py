"""Reads of the public portal. Nothing here may return personal fields (phone, e-mail, ID numbers)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from ocop.certification.choices import EventKind
from ocop.certification.selectors import latest_event
from ocop.geography.choices import Generation
from ocop.geography.selectors import commune_coordinates, province_list, unit_short_names, units_in
from ocop.producers.choices import EntityType
from ocop.products.selectors import current_groups

from .choices import FeedbackStatus
from .models import Feedback, PortalListing
from .search import base_listing, today

if TYPE_CHECKING:
    from ocop.certification.models import RecognitionEvent
    from ocop.geography.models import AdminUnit
    from ocop.producers.models import Entity

MAX_ID = 2**63 - 1
# Projection frame of the SVG maps (mainland Việt Nam and its islands).
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 102.0, 110.0, 8.3, 23.5


def revocation_notice(product_id: int) -> RecognitionEvent | None:
    """The revocation event of a product whose latest decision revoked it (public: decisions are
    published), or None. Shown instead of a bare 404 to whoever follows an old link or QR code."""
    if not 0 < product_id <= MAX_ID:
        return None
    latest = latest_event(product_id=product_id)
    return latest if latest is not None and latest.kind == EventKind.REVOCATION else None


def public_listing(product_id: int) -> PortalListing | None:
    """A recognised product (in force or expired, never revoked) or None."""
    if not 0 < product_id <= MAX_ID:
        return None
    return (
        PortalListing.objects.select_related(
            "product",
            "product__product_set",
            "entity",
            "entity__commune",
            "commune",
            "new_commune",
            "new_province",
            "province",
            "certificate",
            "certificate__event",
        )
        .filter(pk=product_id)
        .first()
    )


def in_force(listing: PortalListing) -> bool:
    day = today()
    return listing.valid_from <= day <= listing.valid_to


def image_urls(listing: PortalListing) -> list[str]:
    return [default_storage.url(image.image.name) for image in listing.product.images.all()]


def product_public_data(listing: PortalListing, *, absolute: Callable[[str], str]) -> dict[str, Any]:
    product, entity = listing.product, listing.entity
    live = in_force(listing)
    return {
        "id": listing.pk,
        "name": product.name,
        "stars": listing.stars,
        "group": listing.group_code,
        "product_set": product.product_set.name if product.product_set is not None else None,
        "description": product.description,
        "story": product.story,
        "packaging": product.packaging,
        "gtin": product.gtin,
        "images": [absolute(url) for url in image_urls(listing)],
        "url": absolute(listing.get_absolute_url()),
        "certificate": {
            "number": listing.certificate_number,
            "stars": listing.stars,
            "valid_from": listing.valid_from,
            "valid_to": listing.valid_to,
            "in_force": live,
            "status": "in_force" if live else "expired",
        },
        "entity": {
            "id": entity.pk,
            "name": entity.name,
            "type": entity.get_entity_type_display(),
            "address": entity.address,
            "website": entity.website,
            "url": absolute(entity_url(entity)),
        },
        "unit": {
            "commune": listing.commune_name,
            "district": listing.district_name or None,
            "province": listing.province_name,
            "commune_2025": listing.new_commune.name if listing.new_commune is not None else None,
            "province_2025": listing.new_province.name if listing.new_province is not None else None,
            "latitude": listing.latitude,
            "longitude": listing.longitude,
        },
    }


def entity_url(entity: Entity) -> str:
    from .slugs import slug_for

    return reverse("portal:entity", args=[entity.pk, slug_for(entity.name)])


def province_url(province: AdminUnit) -> str:
    from .slugs import slug_for

    return reverse("portal:province", args=[province.pk, slug_for(province.short_name or province.name)])


def related_listings(listing: PortalListing, limit: int = 4) -> list[PortalListing]:
    """Same entity first, then the same group in the same (2025) province."""
    qs = base_listing().exclude(pk=listing.pk)
    same_entity = list(qs.filter(entity_id=listing.entity_id).order_by("-stars", "name_key")[:limit])
    if len(same_entity) >= limit:
        return same_entity
    place = (
        Q(new_province_id=listing.new_province_id)
        if listing.new_province_id
        else Q(province_id=listing.province_id)
    )
    more = (
        qs.filter(place, group_code=listing.group_code)
        .exclude(entity_id=listing.entity_id)
        .order_by("-stars", "name_key")[: limit - len(same_entity)]
    )
    return same_entity + list(more)


def public_feedback(listing: PortalListing) -> QuerySet[Feedback]:
    """Reports answered on record; the reporter's contact never leaves this query."""
    return (
        Feedback.objects.filter(product_id=listing.pk, status=FeedbackStatus.ANSWERED)
        .only("id", "kind", "message", "answer", "answered_at", "created_at", "reporter_name")
        .order_by("-answered_at")
    )


def featured(limit: int = 8) -> list[PortalListing]:
    rows = base_listing().filter(stars__gte=4).select_related("new_commune", "new_province")
    return list(rows.order_by("-stars", "-valid_from", "name_key")[:limit])


def search_example() -> str:
    """The search box's example, taken from the data so that it always finds something: the first words of a
    featured product's name and its province of today ("chè Shan Thái Nguyên")."""
    row = next(iter(featured(1)), None) or base_listing().order_by("-valid_from", "pk").first()
    if row is None:
        return ""
    words = row.name.split()[:2]
    if words:
        words[0] = words[0].lower()
    province = (
        unit_short_names(ids=[row.new_province_id]).get(row.new_province_id, "")
        if row.new_province_id
        else ""
    )
    return " ".join([*words, province]).strip()


@dataclass
class Tile:
    code: str
    name: str
    count: int
    url: str
    pk: int = 0


@dataclass
class HomeFigures:
    """The home page's counts, by the one meaning of the portal's words (``ocop.portal.terms``):
    ``recognised`` "sản phẩm OCOP" (recognised today, in force or expired-not-renewed); ``total`` those with a
    certificate in force today; the tiles count products in force (what a click on them lists)."""

    total: int
    groups: list[Tile]
    provinces: list[Tile]
    recognised: int = 0

    @property
    def expired(self) -> int:
        return self.recognised - self.total


def home_figures() -> HomeFigures:
    """Products recognised today and in force, in all, per group and per 2025 province (old units included):
    one grouped scan of the rows in force (the validity index) and a count of those recognised."""
    day = today()
    counts = list(
        base_listing(day=day).values_list("group_code", "new_province_id").annotate(n=Count("pk")).order_by()
    )
    by_group: Counter[str] = Counter()
    by_province: Counter[int] = Counter()
    for group_code, province_id, n in counts:
        by_group[group_code] += n
        if province_id is not None:
            by_province[province_id] += n
    groups = [
        Tile(g.code, g.name, by_group.get(g.code, 0), reverse("portal:search") + f"?nhom={g.code}")
        for g in current_groups()
    ]
    recognised = PortalListing.objects.filter(valid_from__lte=day).count()
    return HomeFigures(sum(by_group.values()), groups, _province_tiles(by_province), recognised)


def province_tiles() -> list[Tile]:
    """2025 provinces with the number of in-force products registered in them (old units included)."""
    counts = dict(
        base_listing()
        .exclude(new_province_id=None)
        .values_list("new_province_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _province_tiles(counts)


def _province_tiles(counts: Mapping[int, int]) -> list[Tile]:
    provinces = units_in(ids=list(counts)).order_by("short_name")
    tiles = [Tile(p.code, p.short_name or p.name, counts[p.pk], province_url(p), p.pk) for p in provinces]
    return sorted(tiles, key=lambda t: -t.count)


def province_choices() -> list[AdminUnit]:
    return list(province_list(generation=Generation.REFORM_2025).order_by("short_name"))


def province_figures(province: AdminUnit) -> dict[str, Any]:
    place = Q(province_id=province.pk) | Q(new_province_id=province.pk)
    listed = PortalListing.objects.filter(place)
    live = base_listing().filter(place)
    by_star = dict(live.values_list("stars").annotate(n=Count("pk")).order_by())
    by_group = dict(live.values_list("group_code").annotate(n=Count("pk")).order_by())
    by_type = dict(live.values_list("entity__entity_type").annotate(n=Count("pk")).order_by())
    commune_field = "commune_id" if province.generation == Generation.LEGACY else "new_commune_id"
    recognised = listed.filter(valid_from__lte=today()).count()
    return {
        "recognised": recognised,
        "in_force": sum(by_star.values()),
        "expired": recognised - sum(by_star.values()),
        "by_star": [(s, by_star.get(s, 0)) for s in (5, 4, 3)],
        "by_group": [(g, by_group.get(g.code, 0)) for g in current_groups()],
        "by_type": [(label, by_type.get(value, 0)) for value, label in EntityType.choices],
        "entities": live.values("entity_id").distinct().count(),
        "communes": live.values(commune_field).distinct().count(),
    }


@dataclass
class MapPoint:
    x: float
    y: float
    label: str
    url: str
    stars: int = 0


def project(lat: float, lon: float, width: int = 300, height: int = 560) -> tuple[float, float]:
    x = (lon - LON_MIN) / (LON_MAX - LON_MIN) * width
    y = (LAT_MAX - lat) / (LAT_MAX - LAT_MIN) * height
    return round(x, 1), round(y, 1)


def map_background(width: int = 300, height: int = 560, cell: int = 6) -> str:
    """SVG path data: one dot per grid cell holding a 2025 commune — the country's shape, no tiles."""
    from django.core.cache import cache

    key = f"portal:map-bg:{width}x{height}:{cell}"
    path: str | None = cache.get(key)
    if path is None:
        seen: set[tuple[int, int]] = set()
        for lat, lon in commune_coordinates(generation=Generation.REFORM_2025):
            x, y = project(lat, lon, width, height)
            if 0 <= x <= width and 0 <= y <= height:
                seen.add((round(x / cell), round(y / cell)))
        path = "".join(f"M{cx * cell} {cy * cell}h0" for cx, cy in sorted(seen))
        cache.set(key, path, 3600)
    return path


def tourism_points(listings: list[PortalListing]) -> list[MapPoint]:
    points = []
    for row in listings:
        if row.latitude is None or row.longitude is None:
            continue
        x, y = project(row.latitude, row.longitude)
        points.append(MapPoint(x, y, row.name, row.get_absolute_url(), row.stars))
    return points
