"""The public stamp API answered before the session, locale, CSRF, auth and messages middleware run.

``GET /api/v1/stamps/{code}`` is the hottest address of the site (every scan of every label), public,
cookie-less and the same in every language, and it uses none of what the rest of the stack prepares:
no session, no user, no CSRF token, no messages, no translation, no URL patterns to search (the path says
which view it is). Those layers were about half the CPU of a request on this path. The security layers
before this one (``SecurityMiddleware``, ``SecurityHeadersMiddleware``, ``RateLimitMiddleware``) still
wrap it, and the headers the skipped layers would add (``X-Frame-Options``, ``Content-Language``,
``Vary``) are set here, so the answer is the same as through the full stack. Anything else (another
method, a deeper path) goes down the full stack as before.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse

from .public import verify_json

STAMP_API_PREFIX = "/api/v1/stamps/"


class StampApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.method == "GET" and path.startswith(STAMP_API_PREFIX):
            code = path[len(STAMP_API_PREFIX) :]
            if code and "/" not in code:  # what the URL pattern's <str:code> matches
                response = verify_json(request, code)
                response["Content-Length"] = str(len(response.content))
                response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
                response["Content-Language"] = settings.LANGUAGE_CODE
                response["Vary"] = "Accept-Language"
                return response
        elif path.startswith(STAMP_API_PREFIX):
            # Only GET is an operation here; anything else would meet the CSRF check (403) further down.
            response = JsonResponse(
                {"detail": "Chỉ hỗ trợ GET ở địa chỉ này.", "code": "not_allowed"},
                status=405,
                json_dumps_params={"ensure_ascii": False},
            )
            response["Allow"] = "GET"
            return response
        return self.get_response(request)
