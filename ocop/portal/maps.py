"""Background tiles of the public maps (Leaflet, vendored from npm): their settings and the page's CSP.

The strict policy of ``ocop.core.security`` allows images from our own origin only. A page that shows tiles
(the map, a place's page) widens ``img-src`` by the tile host of ``settings.OCOP_MAP_TILES`` on that answer
alone; every other page keeps the strict policy. The tiles are optional: without them the markers, the list
and the filters still work, and the page says the background map is unavailable (static/js/map.js).
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse

from ocop.core.security import content_security_policy

DEFAULT_TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    "max_zoom": 19,
}


def tiles() -> dict:
    return {**DEFAULT_TILES, **getattr(settings, "OCOP_MAP_TILES", {})}


def tile_origin(url: str) -> str:
    """The CSP source of a tile URL template: "https://{s}.tile.example.org/{z}/…" → "https://*.tile.example.org"."""
    parts = urlsplit(url)
    host = re.sub(r"\{[a-z]+\}", "*", parts.hostname or "")
    if not parts.scheme or not host or "*" in host.lstrip("*."):
        return ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def policy_with_tiles(path: str) -> str:
    """The site's policy for ``path`` with the tile host added to ``img-src``."""
    policy = content_security_policy(path)
    origin = tile_origin(tiles()["url"])
    if not origin:
        return policy
    return re.sub(r"img-src ([^;]*)", lambda m: f"img-src {m.group(1)} {origin}", policy, count=1)


def with_tiles(view):
    """Views whose page shows background tiles (outside the page cache, so a cached copy gets it too)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = policy_with_tiles(request.path)
        return response

    return wrapper
