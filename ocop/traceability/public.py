"""Public verification pages (no login): /s/{code}, /01/{GTIN}/10/{lot}/21/{serial} and the code form."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import codes
from .choices import Verdict
from .verify import REPEAT_MESSAGE, SHARE_MAX_AGE, Throttled, share_token, source_of, verify

VERDICT_CLASS = {
    Verdict.GENUINE: "verdict--genuine",
    Verdict.UNKNOWN: "verdict--unknown",
    Verdict.REVOKED: "verdict--revoked",
    Verdict.SUSPICIOUS: "verdict--suspicious",
}
VERDICT_HELP = {
    Verdict.GENUINE: "Mã tem có trong hệ thống và đang hiệu lực.",
    Verdict.UNKNOWN: "Mã này không do hệ thống phát hành. Sản phẩm có thể là hàng giả hoặc mã bị gõ sai.",
    Verdict.REVOKED: "Nhà sản xuất hoặc cơ quan quản lý đã thu hồi hay huỷ tem này. Không nên mua sản phẩm.",
    Verdict.SUSPICIOUS: (
        "Mã tem có thật nhưng cách nó được quét bất thường (quét quá nhiều lần, ở những nơi quá xa nhau "
        "trong thời gian ngắn, hoặc trước khi tem được kích hoạt). Tem có thể đã bị sao chép."
    ),
}


SEEN_COOKIE = "ocop_quet"  # the browser's last scan of a code: a reload of its page is not a new scan


def _too_many(request: HttpRequest, message: str, retry_after: int) -> HttpResponse:
    response = render(request, "traceability/verify.html", {"throttled": message}, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    return response


def _render(request: HttpRequest, text: str, **lookup) -> HttpResponse:
    source = source_of(
        request,
        province=request.GET.get("tinh", ""),
        lat=request.GET.get("lat"),
        lon=request.GET.get("lon"),
    )
    try:
        result = verify(
            text,
            source,
            shared=request.GET.get("quet", "")[:200],
            seen=request.COOKIES.get(SEEN_COOKIE, "")[:200],
            **lookup,
        )
    except Throttled as exc:
        return _too_many(request, exc.message, exc.retry_after)
    if result.retry_after:
        return _too_many(request, REPEAT_MESSAGE, result.retry_after)
    located = source.lat is not None or bool(source.province)
    response = render(
        request,
        "traceability/verify.html",
        {
            "result": result,
            "verdict_label": Verdict(result.status).label,
            "verdict_class": VERDICT_CLASS[result.status],
            "verdict_help": VERDICT_HELP[result.status],
            "pretty_code": codes.pretty(result.code) if result.code else text,
            "located": located,
            "share_token": share_token(result) if result.product and not located else "",
            "noindex": True,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    if result.product:
        response.set_cookie(
            SEEN_COOKIE,
            share_token(result),
            max_age=SHARE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@never_cache
@require_GET
def verify_code_view(request: HttpRequest, code: str) -> HttpResponse:
    return _render(request, code)


@never_cache
@require_GET
def verify_link_view(request: HttpRequest, gtin: str, lot: str, serial: str) -> HttpResponse:
    return _render(request, serial, gtin=gtin, lot=lot)


@require_GET
def verify_form_view(request: HttpRequest) -> HttpResponse:
    """Type a code printed under the QR: /s/?ma=…"""
    typed = request.GET.get("ma", "").strip()
    if typed:
        return redirect("traceability_public:verify_code", code=codes.normalise(typed)[:40] or "-")
    return render(request, "traceability/verify_form.html", {"noindex": True})


def _place_error(params) -> str:
    """What is wrong with the place a phone sent (the API's declared bounds), or ""."""
    for name, limit in (("lat", 90), ("lon", 180)):
        raw = params.get(name)
        if raw is None or raw == "":
            continue
        try:
            value = float(raw)
        except ValueError:
            return f"{name} phải là một số."
        if not -limit <= value <= limit:  # NaN fails this too
            return f"{name} phải nằm trong khoảng −{limit}…{limit}."
    if len(params.get("province", "")) > 60:
        return "province dài quá 60 ký tự."
    return ""


def verify_json(request: HttpRequest, code: str) -> HttpResponse:
    """``GET /api/v1/stamps/{code}`` (SPEC §5.4): each call is a scan."""
    params = request.GET if request.META.get("QUERY_STRING") else {}  # most calls carry no place
    if params and (problem := _place_error(params)):
        response: HttpResponse = JsonResponse(
            {"detail": problem, "code": "invalid"}, status=422, json_dumps_params={"ensure_ascii": False}
        )
        response["Cache-Control"] = "no-store"
        return response
    source = source_of(
        request, province=params.get("province", ""), lat=params.get("lat"), lon=params.get("lon")
    )
    try:
        result = verify(code, source, details=False)
    except Throttled as exc:
        return _too_many_json(exc.message, exc.retry_after)
    if result.retry_after:
        return _too_many_json(REPEAT_MESSAGE, result.retry_after)
    # The body is plain data (str, int, None): json.dumps without JsonResponse's encoder class.
    response = HttpResponse(
        json.dumps(result.as_api(), ensure_ascii=False).encode(), content_type="application/json"
    )
    response["Cache-Control"] = "no-store"
    return response


def _too_many_json(message: str, retry_after: int) -> HttpResponse:
    response = JsonResponse(
        {"detail": message, "code": "rate_limited"}, status=429, json_dumps_params={"ensure_ascii": False}
    )
    response["Retry-After"] = str(max(1, retry_after))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def stamp_api_view(request: HttpRequest, code: str) -> HttpResponse:
    return verify_json(request, code)


def hello_view(request: HttpRequest) -> HttpResponse:
    """Benchmark baseline: the smallest Django view through the same middleware (OCOP_BENCH_HELLO=1)."""
    return HttpResponse(b"hello", content_type="text/plain")
