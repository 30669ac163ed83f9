"""Public pages of where to buy and when to meet: /diem-ban/, /hoi-cho/, /ban-do/ (issue 23)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ocop.core.widgets import options_html
from ocop.geography.selectors import commune_ids_covered_by, province_2025_get
from ocop.products.selectors import current_groups
from ocop.support.selectors import (
    public_fair,
    public_fairs,
    public_point_of_sale,
    public_point_rows,
    public_points_of_sale,
)

from . import market, seo
from .cache import cached_page
from .maps import tiles, with_tiles
from .search import SearchQuery, base_listing, listing_search, today
from .selectors import MAX_ID, province_choices
from .slugs import slug_for

if TYPE_CHECKING:
    from ocop.geography.models import AdminUnit

PAGE_SIZE = 30
MAP_LIST_SIZE = 10  # points of sale listed under the map (all of them on /diem-ban/)


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None


def _province(value: str | None) -> AdminUnit | None:
    pk = _int(value)
    if pk is None:
        return None
    return province_2025_get(pk=pk)


def _map_context() -> dict:
    config = tiles()
    return {
        "tile_url": config["url"],
        "tile_attribution": config["attribution"],
        "tile_max_zoom": config["max_zoom"],
    }


# -- points of sale ------------------------------------------------------------------------------------------
@require_GET
@cached_page
def place_list(request: HttpRequest) -> HttpResponse:
    day = today()
    province = _province(request.GET.get("tinh"))
    found = market.directory(day=day, province=province, commune_id=_int(request.GET.get("xa")))
    page = Paginator(found.points, PAGE_SIZE).get_page(request.GET.get("trang"))
    keep = request.GET.copy()
    keep.pop("trang", None)
    return render(
        request,
        "portal/places.html",
        {
            "day": day,
            "directory": found,
            "places": market.places_of(page.object_list, day),
            "page": page,
            "keep": keep.urlencode(),
            "province_options": options_html(
                [(pk, f"{name} ({n})") for pk, name, n in found.provinces], province.pk if province else None
            ),
            "commune_options": options_html(found.communes, found.commune_id),
            "canonical": request.build_absolute_uri(request.path),
            "noindex": bool(request.GET),
            "nav": "places",
            "share": seo.share(
                request,
                title=_("Điểm bán, showroom sản phẩm OCOP"),
                description=_(
                    "Nơi mua sản phẩm OCOP theo tỉnh, xã: địa chỉ, giờ mở cửa và sản phẩm đang bày bán."
                ),
            ),
        },
    )


@require_GET
@with_tiles
@cached_page
def place_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    day = today()
    point = public_point_of_sale(pk=pk, day=day) if 0 < pk <= MAX_ID else None
    if point is None:
        raise Http404(_("Không tìm thấy điểm bán."))
    expected = slug_for(point.name)
    if slug != expected:
        return redirect("portal:place", pk=pk, slug=expected, permanent=True)
    place = market.places_of([point], day)[0]
    products = market.point_products(point)
    canonical = request.build_absolute_uri(request.path)
    return render(
        request,
        "portal/place.html",
        {
            "day": day,
            "place": place,
            "point": point,
            "products": products,
            "canonical": canonical,
            "nav": "places",
            **_map_context(),
            "share": seo.share(
                request,
                title=place.name,
                description=f"{point.get_kind_display()} · {point.address}, {place.label.current}. "
                + _("%(n)s sản phẩm OCOP còn hiệu lực.") % {"n": len(products)},
                kind="place",
                json_ld=[
                    seo.place_json_ld(
                        name=place.name,
                        url=canonical,
                        address=point.address,
                        locality=place.label.current,
                        region="",
                        lat=place.latitude,
                        lon=place.longitude,
                    )
                ],
            ),
        },
    )


# -- fairs ---------------------------------------------------------------------------------------------------
@require_GET
@cached_page
def fair_list(request: HttpRequest) -> HttpResponse:
    day = today()
    upcoming, past = public_fairs(day=day)
    return render(
        request,
        "portal/fairs.html",
        {
            "day": day,
            "sections": [
                {
                    "key": "upcoming",
                    "title": _("Sắp diễn ra và đang diễn ra"),
                    "rows": market.fair_rows(upcoming, day),
                    "empty": _("Chưa có sự kiện sắp tới được công bố."),
                },
                {
                    "key": "past",
                    "title": _("Đã diễn ra"),
                    "rows": market.fair_rows(past, day),
                    "empty": _("Chưa có sự kiện nào."),
                },
            ],
            "on_now": _("Đang diễn ra"),
            "organiser": _("Tổ chức"),
            "canonical": request.build_absolute_uri(request.path),
            "nav": "fairs",
            "share": seo.share(
                request,
                title=_("Hội chợ, sự kiện xúc tiến sản phẩm OCOP"),
                description=_(
                    "Lịch hội chợ và sự kiện: ngày, địa điểm, đơn vị tổ chức, chủ thể và sản phẩm tham gia."
                ),
            ),
        },
    )


@require_GET
@with_tiles
@cached_page
def fair_detail(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    fair = public_fair(pk=pk) if 0 < pk <= MAX_ID else None
    if fair is None:
        raise Http404(_("Không tìm thấy hội chợ."))
    expected = slug_for(fair.name)
    if slug != expected:
        return redirect("portal:fair", pk=pk, slug=expected, permanent=True)
    day = today()
    page = market.fair_page(fair, day)
    canonical = request.build_absolute_uri(request.path)
    dates = f"{fair.start_date:%d/%m/%Y}–{fair.end_date:%d/%m/%Y}"
    return render(
        request,
        "portal/fair.html",
        {
            "day": day,
            "page": page,
            "fair": fair,
            "canonical": canonical,
            "nav": "fairs",
            **_map_context(),
            "share": seo.share(
                request,
                title=page.name,
                description=f"{dates} · {fair.venue}, {page.label.current}. "
                + _("%(n)s chủ thể tham gia.") % {"n": len(page.entities)},
                kind="event",
                json_ld=[
                    seo.fair_json_ld(
                        name=page.name,
                        url=canonical,
                        start=fair.start_date.isoformat(),
                        end=fair.end_date.isoformat(),
                        venue=fair.venue,
                        region=page.label.current,
                        organiser=fair.organiser,
                    )
                ],
            ),
        },
    )


# -- the map -------------------------------------------------------------------------------------------------
def _map_query(request: HttpRequest) -> tuple[SearchQuery, AdminUnit | None, dict[str, str]]:
    params = request.GET
    province = _province(params.get("tinh"))
    stars = _int(params.get("sao"))
    group = params.get("nhom", "").upper()
    codes = {g.code for g in current_groups()}
    query = SearchQuery(
        province=province,
        stars=stars if stars in (3, 4, 5) else None,
        group=group if group in codes else "",
        sort="sao",
        page=_int(params.get("trang")) or 1,
    )
    kept = {
        k: v
        for k, v in {
            "nhom": query.group,
            "sao": query.stars or "",
            "tinh": province.pk if province else "",
        }.items()
        if v
    }
    return query, province, {k: str(v) for k, v in kept.items()}


def _filtered_listing(query: SearchQuery, province: AdminUnit | None):
    from django.db.models import Q

    qs = base_listing()
    if province is not None:
        qs = qs.filter(Q(new_province_id=province.pk) | Q(province_id=province.pk))
    if query.stars:
        qs = qs.filter(stars=query.stars)
    if query.group:
        qs = qs.filter(group_code=query.group)
    return qs


def _points(province: AdminUnit | None):
    day = today()
    if province is None:
        return public_points_of_sale(day=day)
    return public_points_of_sale(day=day, commune_ids=commune_ids_covered_by(province))


@require_GET
@with_tiles
@cached_page
def map_page(request: HttpRequest) -> HttpResponse:
    query, province, kept = _map_query(request)
    result = listing_search(query)
    points = list(_points(province)[:MAP_LIST_SIZE])
    day = today()
    return render(
        request,
        "portal/map.html",
        {
            "day": day,
            "query": query,
            "result": result,
            "places": market.places_of(points, day),
            "points_url": reverse("portal:map_points") + ("?" + urlencode(kept) if kept else ""),
            # A marker's products: this address with its commune's id in place of the 0.
            "commune_url": reverse("portal:map_commune", args=[0]) + ("?" + urlencode(kept) if kept else ""),
            "search_url": reverse("portal:search") + ("?" + urlencode(kept) if kept else ""),
            "places_url": reverse("portal:places") + (f"?tinh={province.pk}" if province else ""),
            "keep": urlencode(kept),
            "groups": current_groups(),
            "province_options": options_html(
                [(p.pk, p.short_name or p.name) for p in province_choices()],
                province.pk if province else None,
            ),
            "canonical": request.build_absolute_uri(request.path),
            "noindex": bool(request.GET),
            "nav": "map",
            **_map_context(),
            "share": seo.share(
                request,
                title=_("Bản đồ sản phẩm OCOP và điểm bán"),
                description=_(
                    "Sản phẩm OCOP còn hiệu lực và điểm bán trên bản đồ, lọc theo nhóm, hạng sao, tỉnh."
                ),
            ),
        },
    )


@require_GET
@cached_page
def map_points(request: HttpRequest) -> HttpResponse:
    query, province, _kept = _map_query(request)
    day = today()
    covered = commune_ids_covered_by(province) if province is not None else None
    data = market.map_data(
        listing=_filtered_listing(query, province),
        points=public_point_rows(day=day, commune_ids=covered),
        day=day,
    )
    return JsonResponse(data.as_json(), json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


@require_GET
@cached_page
def map_commune(request: HttpRequest, pk: int) -> HttpResponse:
    """What a map marker shows when opened: the commune's products under the map's filters."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    query, province, kept = _map_query(request)
    search_url = reverse("portal:search") + "?" + (urlencode(kept) + "&" if kept else "")
    data = market.commune_products(
        listing=_filtered_listing(query, province), commune_id=pk, search_url=search_url
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
