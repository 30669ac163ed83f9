"""Public pages of "Kết nối OCOP" (no login): home, search, product, entity, province and tourism pages, and
the community feedback form. Vietnamese at the root, English under /en/ (config/urls.py)."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ocop.core.ratelimit import client_ip
from ocop.core.widgets import options_html
from ocop.geography.choices import Generation
from ocop.geography.selectors import commune_names, province_get, units_in
from ocop.privacy.selectors import may_show_publicly
from ocop.producers.selectors import public_entity
from ocop.products.selectors import current_groups
from ocop.support.selectors import where_to_buy

from . import product_page, selectors, seo
from .cache import cached_page
from .choices import Sort
from .forms import FeedbackForm
from .models import Feedback, PortalListing
from .placenames import commune_label
from .search import SearchQuery, base_listing, listing_search, today
from .services.feedback import RateLimited, feedback_submit
from .slugs import slug_for

if TYPE_CHECKING:
    from ocop.geography.models import AdminUnit


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
            "figures": figures,
            "canonical": request.build_absolute_uri(request.path),
            "share": seo.share(
                request,
                title=_("Kết nối OCOP — sản phẩm OCOP được công nhận"),
                description=_(
                    "%(total)s sản phẩm OCOP, %(in_force)s có giấy chứng nhận còn hiệu lực: hạng sao, "
                    "chủ thể, nơi bán và hội chợ."
                )
                % {"total": figures.recognised, "in_force": figures.total},
            ),
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
    expired_matches = 0
    if not result.count and not query.include_expired:
        # Nothing in force: say how many expired products match, and link to them (issue 21).
        expired_matches = listing_search(
            dataclasses.replace(query, include_expired=True, page=1, page_size=1)
        ).count
    keep = params.copy()
    keep.pop("trang", None)
    with_expired = params.copy()
    with_expired.pop("trang", None)
    with_expired["het_han"] = "1"
    provinces = [(p.pk, p.short_name or p.name) for p in selectors.province_choices()]
    communes = _communes_for(province)
    return _render(
        request,
        "portal/search.html",
        {
            "query": query,
            "result": result,
            "expired_matches": expired_matches,
            "expired_url": "?" + with_expired.urlencode(),
            "example": selectors.search_example(),
            "province": province,
            "province_options": options_html(provinces, province.pk if province else None),
            "communes": communes,
            "commune_options": options_html(communes, query.commune),
            "groups": current_groups(),
            "sorts": Sort.choices,
            "keep": keep.urlencode(),
            "noindex": bool(params),
            "nav": "search",
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
        raise Http404(_("Không tìm thấy sản phẩm OCOP."))
    return listing


@require_GET
@cached_page
def product(request: HttpRequest, pk: int, slug: str = "") -> HttpResponse:
    listing = selectors.public_listing(pk)
    if listing is None:
        revoked = selectors.revocation_notice(pk)
        if revoked is None:
            raise Http404(_("Không tìm thấy sản phẩm OCOP."))
        return _render(request, "portal/revoked.html", {"event": revoked, "noindex": True}, status=410)
    if slug != listing.slug:
        return redirect(listing.get_absolute_url(), permanent=True)
    return _product_page(request, listing, FeedbackForm())


def _product_page(request, listing: PortalListing, form: FeedbackForm, status: int = 200) -> HttpResponse:
    context = product_page.context(
        request,
        listing,
        where_to_buy=where_to_buy(listing.pk, today=today()),  # ocop/support
    )
    context["form"] = form
    context["error_heading"] = _("Phản ánh chưa gửi được")  # the shared summary's (includes/error_summary)
    return _render(request, "portal/product.html", context, status=status)


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
        raise Http404(_("Chủ thể chưa có sản phẩm OCOP được công nhận."))
    expected = slug_for(item.name)
    if slug != expected:
        return redirect("portal:entity", pk=pk, slug=expected, permanent=True)
    day = today()
    canonical = request.build_absolute_uri(request.path)
    place = commune_label(item.commune_id, commune_names(ids=[item.commune_id])[item.commune_id], day)
    json_ld = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": item.name,
        "url": canonical,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": item.address,
            "addressLocality": place.current,
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
    in_force = [row for row in listed if row.valid_from <= day <= row.valid_to]
    return _render(
        request,
        "portal/entity.html",
        {
            "entity": item,
            "listed": listed,
            "in_force_count": len(in_force),
            "day": day,
            "place": place,
            "canonical": canonical,
            "representative": representative,
            "phone": phone,
            "tel_href": "tel:" + re.sub(r"[^\d+]", "", phone) if phone else "",
            "share": seo.share(
                request,
                title=item.name,
                description=_("%(name)s, %(place)s: %(count)s sản phẩm OCOP.")
                % {"name": item.name, "place": place.current, "count": len(listed)},
                kind="profile",
                json_ld=[json_ld],
            ),
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
    figures = selectors.province_figures(unit)
    return _render(
        request,
        "portal/province.html",
        {
            "unit": unit,
            "figures": figures,
            "result": result,
            "successors": successor,
            "canonical": request.build_absolute_uri(request.path),
            "search_url": reverse("portal:search") + "?" + urlencode({"tinh": unit.pk}),
            "share": seo.share(
                request,
                title=_("Sản phẩm OCOP %(province)s") % {"province": unit.name},
                description=_("%(total)s sản phẩm OCOP, %(in_force)s còn hiệu lực tại %(province)s.")
                % {"total": figures["recognised"], "in_force": figures["in_force"], "province": unit.name},
            ),
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
