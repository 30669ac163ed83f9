"""Public pages of "Kết nối OCOP" (no login) and the officers' moderation of community feedback."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from ocop.core.errors import ScopeError
from ocop.core.pagination import paginate
from ocop.core.ratelimit import client_ip
from ocop.core.widgets import options_html
from ocop.geography.choices import Generation
from ocop.geography.selectors import province_get, units_in
from ocop.privacy.selectors import may_show_publicly
from ocop.producers.selectors import public_entity
from ocop.products.selectors import current_groups
from ocop.support.selectors import where_to_buy

from . import selectors
from .cache import cached_page
from .choices import FeedbackKind, FeedbackStatus, Sort
from .forms import FeedbackAnswerForm, FeedbackForm
from .models import Feedback, PortalListing
from .search import SearchQuery, base_listing, listing_search, today
from .services import RateLimited, feedback_answer, feedback_submit, feedback_view_logged, slug_for

if TYPE_CHECKING:
    from ocop.geography.models import AdminUnit

SITE_NAME = "Kết nối OCOP"


def _int(value: str | None, *, low: int = 1, high: int = 10**9) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("day", today())
    return render(request, template, context, status=status)


@require_GET
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    figures = selectors.home_figures()
    return _render(
        request,
        "portal/home.html",
        {
            "featured": selectors.featured(),
            "groups": figures.groups,
            "provinces": figures.provinces,
            "total": figures.total,
        },
    )


@require_GET
@cached_page
def search(request: HttpRequest) -> HttpResponse:
    params = request.GET
    province_id = _int(params.get("tinh"))
    province = province_get(pk=province_id) if province_id else None
    sort = params.get("sx", "")
    query = SearchQuery(
        q=params.get("q", "")[:200],
        province=province,
        commune=_int(params.get("xa")),
        stars=_int(params.get("sao"), low=1, high=5),
        group=params.get("nhom", "")[:5] if params.get("nhom", "").upper() in _group_codes() else "",
        sort=sort if sort in Sort.values else "",
        include_expired=params.get("het_han") == "1",
        page=_int(params.get("trang"), high=10_000) or 1,
    )
    result = listing_search(query)
    keep = params.copy()
    keep.pop("trang", None)
    provinces = [(p.pk, p.short_name or p.name) for p in selectors.province_choices()]
    communes = _communes_for(province)
    return _render(
        request,
        "portal/search.html",
        {
            "query": query,
            "result": result,
            "province": province,
            "province_options": options_html(provinces, province.pk if province else None),
            "communes": communes,
            "commune_options": options_html(communes, query.commune),
            "groups": current_groups(),
            "sorts": Sort.choices,
            "keep": keep.urlencode(),
            "noindex": bool(params),
        },
    )


def _group_codes() -> set[str]:
    return {"I", "II", "III", "IV", "V", "VI"}


def _communes_for(province: AdminUnit | None) -> list[tuple[int, str]]:
    if province is None:
        return []
    live = base_listing()
    if province.generation == Generation.REFORM_2025:
        ids = live.filter(new_province_id=province.pk).values_list("new_commune_id", flat=True).distinct()
        return list(units_in(ids=ids).order_by("short_name").values_list("pk", "name"))
    return sorted(
        set(live.filter(province_id=province.pk).values_list("commune_id", "commune_name")),
        key=lambda c: c[1],
    )


def _listing_or_404(pk: int) -> PortalListing:
    listing = selectors.public_listing(pk)
    if listing is None:
        raise Http404("Không tìm thấy sản phẩm OCOP.")
    return listing


@require_GET
@cached_page
def product(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    listing = selectors.public_listing(pk)
    if listing is None:
        revoked = selectors.revocation_notice(pk)
        if revoked is None:
            raise Http404("Không tìm thấy sản phẩm OCOP.")
        return _render(request, "portal/revoked.html", {"event": revoked}, status=410)
    if slug != listing.slug:
        return redirect(listing.get_absolute_url(), permanent=True)
    return _product_page(request, listing, FeedbackForm())


def _product_page(request, listing: PortalListing, form: FeedbackForm, status: int = 200) -> HttpResponse:
    product = listing.product
    images = selectors.image_urls(listing)
    canonical = request.build_absolute_uri(listing.get_absolute_url())
    entity_href = request.build_absolute_uri(selectors.entity_url(listing.entity))
    json_ld = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "url": canonical,
        "description": (product.description or product.story)[:500],
        "image": [request.build_absolute_uri(url) for url in images],
        "category": listing.product.product_set.name
        if listing.product.product_set_id
        else listing.group_code,
        "award": f"OCOP {listing.stars} sao",
        "brand": {"@type": "Organization", "name": listing.entity_name, "url": entity_href},
        "manufacturer": {"@type": "Organization", "name": listing.entity_name, "url": entity_href},
    }
    if product.gtin:
        json_ld["gtin"] = product.gtin
    point = None
    if listing.latitude is not None and listing.longitude is not None:
        point = selectors.project(listing.latitude, listing.longitude, 120, 224)
    return _render(
        request,
        "portal/product.html",
        {
            "listing": listing,
            "product": product,
            "entity": listing.entity,
            "entity_slug": slug_for(listing.entity_name),
            "images": images,
            "in_force": selectors.in_force(listing),
            "related": selectors.related_listings(listing),
            "answered": selectors.public_feedback(listing),
            "form": form,
            "canonical": canonical,
            "og_image": request.build_absolute_uri(images[0]) if images else "",
            "json_ld": json.dumps(json_ld, ensure_ascii=False),
            "point": point,
            "map_bg": selectors.map_background(120, 224, 6) if point else "",
            "where_to_buy": where_to_buy(product.pk, today=today()),  # ocop/support: public outlets, listings
            "osm": (
                f"https://www.openstreetmap.org/?mlat={listing.latitude:.5f}&mlon={listing.longitude:.5f}"
                f"#map=13/{listing.latitude:.5f}/{listing.longitude:.5f}"
                if point
                else ""
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing_or_404(pk)
    if request.method == "GET":
        return redirect(listing.get_absolute_url() + "#phan-anh")
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return _product_page(request, listing, form, status=400)
    data = form.cleaned_data
    if data["website"]:
        # Honeypot filled in: answer like a success, store nothing.
        return redirect(reverse("portal:feedback_thanks", args=[listing.pk]))
    try:
        feedback_submit(
            product=listing.product,
            kind=data["kind"],
            message=data["message"],
            ip=client_ip(request),
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            reporter_email=data["reporter_email"],
            photo=data["photo"],
        )
    except RateLimited as exc:
        form.add_error(None, str(exc))
        return _product_page(request, listing, form, status=429)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _product_page(request, listing, form, status=400)
    return redirect(reverse("portal:feedback_thanks", args=[listing.pk]))


@require_GET
def feedback_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing_or_404(pk)
    return _render(request, "portal/feedback_thanks.html", {"listing": listing, "noindex": True})


@require_GET
@cached_page
def entity(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    if not 0 < pk <= selectors.MAX_ID:
        raise Http404
    item = public_entity(pk=pk)
    if item is None:
        raise Http404
    listed = list(PortalListing.objects.filter(entity_id=pk).order_by("-stars", "name_key"))
    if not listed:
        raise Http404("Chủ thể chưa có sản phẩm OCOP được công nhận.")
    expected = slug_for(item.name)
    if slug != expected:
        return redirect("portal:entity", pk=pk, slug=expected, permanent=True)
    day = today()
    canonical = request.build_absolute_uri(request.path)
    json_ld = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": item.name,
        "url": canonical,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": item.address,
            "addressLocality": listed[0].commune_name,
            "addressRegion": listed[0].province_name,
            "addressCountry": "VN",
        },
        "makesOffer": [
            {"@type": "Offer", "itemOffered": {"@type": "Product", "name": row.name}} for row in listed[:20]
        ],
    }
    if item.website:
        json_ld["sameAs"] = [item.website]
    # Personal data (Law 91/2025): shown only with the representative's recorded consent (ocop.privacy).
    representative = item.representative if may_show_publicly(item, "representative") else ""
    phone = item.phone if may_show_publicly(item, "phone") else ""
    if phone:
        json_ld["telephone"] = phone
    return _render(
        request,
        "portal/entity.html",
        {
            "entity": item,
            "listed": listed,
            "day": day,
            "place": listed[0],
            "canonical": canonical,
            "representative": representative,
            "phone": phone,
            "tel_href": "tel:" + re.sub(r"[^\d+]", "", phone) if phone else "",
            # "<" escaped: names typed by users must not be able to close the script element.
            "json_ld": json.dumps(json_ld, ensure_ascii=False).replace("<", "\\u003c"),
        },
    )


@require_GET
@cached_page
def province(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    if not 0 < pk <= selectors.MAX_ID:
        raise Http404
    unit = province_get(pk=pk)
    if unit is None:
        raise Http404
    expected = slug_for(unit.short_name or unit.name)
    if slug != expected:
        return redirect("portal:province", pk=pk, slug=expected, permanent=True)
    result = listing_search(SearchQuery(province=unit, sort=Sort.STARS, page_size=12))
    successor = None
    if unit.generation == Generation.LEGACY:
        successor_ids = (
            PortalListing.objects.filter(province_id=unit.pk)
            .exclude(new_province_id=None)
            .values_list("new_province_id", flat=True)
            .distinct()
        )
        successor = list(units_in(ids=successor_ids))
    return _render(
        request,
        "portal/province.html",
        {
            "unit": unit,
            "figures": selectors.province_figures(unit),
            "result": result,
            "successors": successor,
            "canonical": request.build_absolute_uri(request.path),
            "search_url": reverse("portal:search") + "?" + urlencode({"tinh": unit.pk}),
        },
    )


@require_GET
def tourism(request: HttpRequest) -> HttpResponse:
    rows = list(base_listing().filter(group_code="VI").order_by("-stars", "name_key")[:500])
    return _render(
        request,
        "portal/tourism.html",
        {
            "rows": rows,
            "points": selectors.tourism_points(rows),
            "map_bg": selectors.map_background(),
            "canonical": request.build_absolute_uri(request.path),
        },
    )


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    urls = [reverse("portal:home"), reverse("portal:search"), reverse("portal:tourism")]
    rows = PortalListing.objects.order_by("pk").values_list("pk", "slug", "entity_id", "entity_name")
    entities: dict[int, str] = {}
    for pk, slug, entity_id, entity_name in rows[:40_000]:
        urls.append(reverse("portal:product", args=[pk, slug]))
        entities[entity_id] = entity_name
    urls += [reverse("portal:entity", args=[pk, slug_for(name)]) for pk, name in entities.items()]
    urls += [tile.url for tile in selectors.province_tiles()]
    body = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    body += [f"<url><loc>{base}{url}</loc></url>" for url in urls]
    body.append("</urlset>")
    return HttpResponse("\n".join(body), content_type="application/xml; charset=utf-8")


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /quan-ly/",
        "Disallow: /tai-khoan/",
        "Disallow: /api/",
        "Disallow: /media/feedback/",
        f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def feedback_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A feedback photo, from private storage: to the officers whose scope covers the report while it
    awaits moderation (everyone else: 404), to anyone once the report is answered and public."""
    from django.http import FileResponse

    item = Feedback.objects.filter(pk=pk).exclude(photo="").first()
    if item is None:
        raise Http404
    if not item.is_public and not (
        request.user.is_authenticated and Feedback.objects.for_user(request.user).filter(pk=pk).exists()
    ):
        raise Http404
    response = FileResponse(item.photo.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# -- moderation (officers) ---------------------------------------------------------------------------
@login_required
@require_GET
def moderation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("trang_thai", FeedbackStatus.NEW)
    qs = Feedback.objects.for_user(request.user).select_related("product", "product__entity")
    if status in FeedbackStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "portal/moderation_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": FeedbackStatus.choices,
            "kinds": dict(FeedbackKind.choices),
            "nav_active": "feedback",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Feedback.objects.for_user(request.user).select_related("product", "product__entity", "answered_by"),
        pk=pk,
    )
    can_answer = request.user.is_superuser or request.user.role in {"admin", "province_officer"}
    form = FeedbackAnswerForm(
        request.POST or None, initial={"answer": item.answer, "status": FeedbackStatus.ANSWERED}
    )
    if request.method == "POST":
        if not can_answer:
            raise Http404
        if form.is_valid():
            try:
                feedback_answer(
                    user=request.user,
                    feedback=item,
                    status=form.cleaned_data["status"],
                    answer=form.cleaned_data["answer"],
                )
            except ScopeError as exc:
                raise Http404 from exc
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "Đã lưu kết quả xử lý phản ánh.")
                return redirect("portal:moderation_detail", pk=item.pk)
    else:
        feedback_view_logged(user=request.user, feedback=item)
    listing = PortalListing.objects.filter(pk=item.product_id).first()
    return render(
        request,
        "portal/moderation_detail.html",
        {"item": item, "form": form, "can_answer": can_answer, "listing": listing, "nav_active": "feedback"},
    )
