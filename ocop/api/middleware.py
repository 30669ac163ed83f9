"""Every error answered under /api/ carries ``{"detail", "code"}``, and every 429 a ``Retry-After``.

The ninja exception handlers (``ocop.api.urls``) shape the errors they see; this layer covers the rest:
an endpoint returning its own ``{"detail": …}``, Django's HTML 404 for an address no route matches, a 405,
a 500 from an unexpected exception. Only error answers are touched (successful ones pass untouched).
"""

from __future__ import annotations

import json

from django.http import HttpResponse

CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "not_allowed"}
CODES |= {409: "conflict", 413: "too_large", 422: "invalid", 429: "rate_limited", 500: "server_error"}
DETAILS = {
    404: "Không tìm thấy (hoặc nằm ngoài phạm vi của bạn).",
    405: "Phương thức không được hỗ trợ ở địa chỉ này.",
    429: "Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.",
    500: "Lỗi máy chủ. Sự cố đã được ghi lại; vui lòng thử lại sau.",
}
RETRY_AFTER_DEFAULT = "60"


def error_code(status: int) -> str:
    return CODES.get(status, "server_error" if status >= 500 else "error")


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not request.path.startswith("/api/"):
            return response
        if getattr(response, "streaming", False):
            return response
        body = None
        if response.get("Content-Type", "").startswith("application/json"):
            try:
                body = json.loads(response.content or b"null")
            except ValueError:
                body = None
        if not isinstance(body, dict) or "code" not in body or "detail" not in body:
            shaped = dict(body) if isinstance(body, dict) else {}
            shaped.setdefault("detail", DETAILS.get(response.status_code, "Yêu cầu không hợp lệ."))
            shaped.setdefault("code", error_code(response.status_code))
            replacement = HttpResponse(
                json.dumps(shaped, ensure_ascii=False),
                status=response.status_code,
                content_type="application/json",
            )
            for header in ("Retry-After", "Allow", "WWW-Authenticate", "Cache-Control"):
                if header in response:
                    replacement[header] = response[header]
            response = replacement
        if response.status_code == 429 and "Retry-After" not in response:
            response["Retry-After"] = RETRY_AFTER_DEFAULT
        return response
