"""/du-lieu-mo/: the open data page and its downloads (``ocop.portal.opendata``). Rate-limited per address
like the search API (``ocop.core.security.RateLimitMiddleware``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ocop.certification.selectors import last_recognition_change

from . import opendata, seo
from .cache import cached_page, portal_version
from .models import PortalListing
from .search import base_listing, today


def _last_updated():
    """When what the files publish last changed: a listing refresh, or a decision recorded."""
    listing = PortalListing.objects.order_by("-refreshed_at").values_list("refreshed_at", flat=True).first()
    decision = last_recognition_change()
    return max(filter(None, [listing, decision]), default=None)


@require_GET
@cached_page
def open_data(request: HttpRequest) -> HttpResponse:
    day = today()
    recognised = PortalListing.objects.filter(valid_from__lte=day).count()
    return render(
        request,
        "portal/open_data.html",
        {
            "day": day,
            "ever": opendata.count(),
            "recognised": recognised,
            "in_force": base_listing(day=day).count(),
            "last_updated": _last_updated(),
            "columns": opendata.COLUMNS,
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "canonical": request.build_absolute_uri(request.path),
            "share": seo.share(
                request,
                title=_("Dữ liệu mở: sản phẩm OCOP"),
                description=_(
                    "Danh sách mọi sản phẩm OCOP đã được công nhận (còn hiệu lực, hết hiệu lực, đã thu hồi), "
                    "tải về dạng bảng tính, giấy phép CC BY 4.0."
                ),
            ),
        },
    )


R = TypeVar("R", HttpResponse, StreamingHttpResponse)


def _headers(response: R, fmt: str, etag: str) -> R:
    response["Content-Disposition"] = f'attachment; filename="san-pham-ocop.{fmt}"'
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def download(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in opendata.FORMATS:
        raise Http404
    version = portal_version()
    etag = f'"ocop-{version}-{fmt}"'
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified()
    origin = f"{request.scheme}://{request.get_host()}"
    content_type = opendata.FORMATS[fmt]
    body = opendata.stored(fmt, origin)
    if body is not None:
        return _headers(HttpResponse(body, content_type=content_type), fmt, etag)

    def absolute(path: str) -> str:
        return origin + path

    chunks = opendata.rows(absolute=absolute)
    if fmt == "xlsx":
        body = opendata.xlsx_bytes(chunks)
        opendata.store(fmt, origin, version, body)
        return _headers(HttpResponse(body, content_type=content_type), fmt, etag)
    if fmt == "csv":
        pieces = opendata.csv_chunks(chunks)
    else:
        pieces = opendata.json_chunks(chunks, generated_at=opendata.generated_at(), count=opendata.count())
    return _headers(
        StreamingHttpResponse(_kept(pieces, fmt, origin, version), content_type=content_type), fmt, etag
    )


def _kept(pieces: Iterator[bytes], fmt: str, origin: str, version: int) -> Iterator[bytes]:
    """Stream the pieces; once all were sent, keep the whole file for the next requests of this version."""
    sent: list[bytes] = []
    for piece in pieces:
        sent.append(piece)
        yield piece
    opendata.store(fmt, origin, version, b"".join(sent))
