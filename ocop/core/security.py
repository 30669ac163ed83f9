"""Response security headers that Django's SecurityMiddleware does not set (issue 10).

* Content-Security-Policy without 'unsafe-inline': templates carry no inline ``style=``/``<script>`` (JS lives
  in ``static/js/*.js``; htmx's injected indicator style is turned off by ``<meta name="htmx-config">``).
* Permissions-Policy: only geolocation, and only for our own origin (the stamp check page may ask).
* Cross-Origin-Resource-Policy: same-origin.
* API and authenticated HTML answers are not cached by shared caches.

HSTS, nosniff, Referrer-Policy and COOP come from ``django.middleware.security.SecurityMiddleware`` (settings
in ``config/settings/base.py``).
"""

from __future__ import annotations

import logging
import re

from django.conf import settings

DEFAULT_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)
DEFAULT_PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"
# The API docs page (Swagger UI) is served from ninja's local static files and works under this policy.


def content_security_policy(path: str) -> str:
    return getattr(settings, "OCOP_CSP", DEFAULT_CSP)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy(request.path))
        response.setdefault(
            "Permissions-Policy", getattr(settings, "OCOP_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("X-Content-Type-Options", "nosniff")
        if (
            request.path.startswith("/api/")
            or getattr(request, "user", None) is not None
            and (request.user.is_authenticated)
        ):
            response.setdefault("Cache-Control", "private, no-store")
        return response


# Per-IP limits on public, expensive or abusable GETs, counted in the shared cache (``ocop.core.ratelimit``).
# path prefix → (requests, window seconds). Login, feedback and stamp verification have their own limits in
# their apps; OCOP_RATE_LIMITS replaces this table (an empty dict turns these off).
DEFAULT_RATE_LIMITS = {
    "/tim-kiem/": (120, 60),  # portal search
    "/en/tim-kiem/": (120, 60),  # the same search, English pages
    "/api/v1/products": (120, 60),  # public product search API
    "/du-lieu-mo/": (120, 60),  # open data page and downloads
    "/en/du-lieu-mo/": (120, 60),
}


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponse, JsonResponse

        from .ratelimit import client_ip, hit

        limits = getattr(settings, "OCOP_RATE_LIMITS", DEFAULT_RATE_LIMITS)
        for prefix, (limit, window) in limits.items():
            if request.path.startswith(prefix):
                if not hit(f"path:{prefix}:{client_ip(request)}", limit, window):
                    message = "Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."
                    if request.path.startswith("/api/"):
                        response = JsonResponse({"detail": message, "code": "rate_limited"}, status=429)
                    else:
                        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
                    response["Retry-After"] = str(window)
                    return response
                break
        return self.get_response(request)


class PersonalDataFormatter(logging.Formatter):
    """Log formatter: phone and ID numbers (runs of 9–12 digits, spaces/dots allowed) and e-mail addresses are
    masked in the written line (Law 91/2025/QH15: no personal data in logs). A formatter, not a filter, so the
    record itself (seen by other handlers, e.g. tests' caplog) is left unchanged."""

    _NUMBER = re.compile(r"(?<!\d)(?:\+?84|0)?(?:\d[ .]?){8,11}\d(?!\d)")
    _EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")

    @classmethod
    def mask(cls, text: str) -> str:
        text = cls._NUMBER.sub(lambda m: "•" * max(len(m.group(0)) - 3, 3) + m.group(0)[-3:], text)
        return cls._EMAIL.sub(lambda m: m.group(0)[:1] + "•••@" + m.group(0).split("@", 1)[1], text)

    def format(self, record) -> str:
        return self.mask(super().format(record))
