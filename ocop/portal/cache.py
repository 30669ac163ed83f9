"""Cache of the rendered public pages (home, search, product, entity, province) for anonymous visitors.

A page is stored under its path + query string and the current *portal version*, a number in the shared
cache that ``portal_changed()`` bumps whenever something shown on a public page changes: the listing
(``services.listing.listing_refresh``), products, entities, their consent to show contacts, their images,
community feedback, the support records shown as where to buy (signals below, for writes through the
ORM's ``save``/``delete``). A bump makes every stored page unreachable at once (they then expire by
their timeout); no page has to be found and deleted.
The version is read at the start of the request, so a page rendered from data older than a bump is never
stored under the new version.

Pages carry the visitor's CSRF token (the feedback form): the stored copy holds a placeholder that is
replaced with the requesting visitor's own token on every hit.

Only a cache shared by every server process can be invalidated this way, so the page cache is off with the
per-process ``LocMemCache`` (tests, single-process development) unless ``PORTAL_PAGE_CACHE_SECONDS`` is set.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "portal:version"
DEFAULT_SECONDS = 300
CSRF_PLACEHOLDER = "__OCOP_CSRF_TOKEN__"


def page_cache_seconds() -> int:
    explicit = getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", None)
    if explicit is not None:
        return int(explicit)
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return 0 if backend.endswith(("LocMemCache", "DummyCache")) else DEFAULT_SECONDS


def portal_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start (time-based) never reuses a number a cleared cache may still hold pages for.
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(VERSION_KEY) or 0
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: the next read starts one
        portal_version()


def portal_changed() -> None:
    """Public pages may show something else now: bump the version now and again once committed.

    The immediate bump covers readers inside this transaction; the one after commit covers pages rendered
    by other requests between the first bump and the commit (from the old data).
    """
    _bump()
    transaction.on_commit(_bump)


def _key(request: HttpRequest, version: int) -> str:
    from .search import today

    raw = "|".join(
        [
            str(version),
            today().isoformat(),
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
        ]
    )
    return "portal:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not request.COOKIES.get("messages")


def cached_page(view):
    """Serve an anonymous GET from the page cache; store successful (200) HTML responses."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = page_cache_seconds()
        if seconds <= 0 or not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request, portal_version())
        stored = cache.get(key)
        if stored is not None:
            content_type, body = stored
            if CSRF_PLACEHOLDER in body:
                body = body.replace(CSRF_PLACEHOLDER, get_token(request))
            response = HttpResponse(body, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies.get("messages"):
            body = response.content.decode(response.charset)
            found = _TOKEN.search(body)
            if found:
                body = body.replace(found.group(1), CSRF_PLACEHOLDER)
            cache.set(key, (response["Content-Type"], body), timeout=seconds)
            response["X-Portal-Cache"] = "miss"
        return response

    return wrapper


# The masked token a page was rendered with (one per render: the context's lazy ``csrf_token``).
_TOKEN = re.compile(r'(?:"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{32,64})"')


# -- invalidation on ORM writes ---------------------------------------------------------------------
def _changed(sender, **kwargs) -> None:
    portal_changed()


def connect_signals() -> None:
    from django.apps import apps

    # Only the writes of the records the pages show are listened to (by label: the portal reads no domain
    # model). PublicConsent: the entity page shows the representative/phone only while consent is recorded.
    labels = [
        "products.Product",
        "producers.Entity",
        "products.ProductImage",
        "portal.Feedback",
        "privacy.PublicConsent",
    ]
    shown = [apps.get_model(label) for label in labels]
    if apps.is_installed("ocop.support"):  # where to buy (points of sale, fairs…) on the product page
        shown += list(apps.get_app_config("support").get_models())
    for model in shown:
        post_save.connect(_changed, sender=model, dispatch_uid=f"portal-cache-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"portal-cache-delete-{model.__name__}")
