"""Answers at fixed root addresses (not per language): /sitemap.xml, /robots.txt, /favicon.ico, and the
404 page, which is the portal's own for the public (no talk of accounts) and the staff one for staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from .cache import cached_page
from .search import today
from .sitemaps import sitemap_xml

# Staff areas (Vietnamese only, behind a login): their 404 keeps the staff layout.
STAFF_PREFIXES = (
    "/quan-ly/", "/tai-khoan/", "/chu-the/", "/san-pham/", "/chung-nhan/", "/nhap-du-lieu/", "/thong-ke/",
    "/danh-gia/", "/truy-xuat/", "/ho-tro/",
)  # fmt: skip


@require_GET
@cached_page
def sitemap(request: HttpRequest) -> HttpResponse:
    body = sitemap_xml(protocol=request.scheme or "https", domain=request.get_host())
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    return response


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /quan-ly/",
        "Disallow: /tai-khoan/",
        "Disallow: /api/",
        "Disallow: /media/feedback/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico of every page, staff pages included; the file lives with the static files."""
    response = HttpResponseRedirect(static("portal/img/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    user = getattr(request, "user", None)
    staff = request.path.startswith(STAFF_PREFIXES) or bool(user and user.is_authenticated)
    template = "404.html" if staff else "portal/404.html"
    return render(request, template, {"day": today(), "noindex": True}, status=404)
