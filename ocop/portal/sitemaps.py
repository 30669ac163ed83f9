"""``/sitemap.xml`` with Django's sitemaps framework: the home page and the portal's lists, and every public
product, entity, place and fair page whose product is in force or whose place is open — each in Vietnamese and
English, with their ``hreflang`` alternates (the i18n sitemap of ``django.contrib.sitemaps``).

20,000 products in two languages are 40,000 addresses (with three alternates each), under the protocol's
50,000 per sitemap. Addresses are formatted from one reversed pattern per page kind and language instead of a
``reverse()`` per address, and the XML is written directly rather than through the template, which took
seconds at that size; the answer is stored in the portal's page cache until the next change.
"""

from __future__ import annotations

import datetime as dt
import functools
from html import escape

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from ocop.support.selectors import public_fairs, public_points_of_sale

from .search import base_listing, today
from .services import slug_for

_PK, _SLUG = 987654321, "zzslugzz"


@functools.cache
def _pattern(language: str, name: str, with_slug: bool) -> str:
    args = [_PK, _SLUG] if with_slug else [_PK] if name.endswith("_short") else []
    with translation.override(language):
        path = reverse(name, args=args)
    return path.replace(str(_PK), "{pk}").replace(_SLUG, "{slug}")


def path_of(name: str, pk: int | None = None, slug: str = "", *, language: str = "") -> str:
    """The address of a portal page in ``language`` (default: the active one), as ``reverse`` gives it,
    without its cost per call."""
    language = language or translation.get_language() or "vi"
    return _pattern(language, name, bool(slug)).format(pk=pk, slug=slug)


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    languages = ["vi", "en"]


class PagesSitemap(PortalSitemap):
    priority = 0.8
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "portal:home",
            "portal:search",
            "portal:places",
            "portal:fairs",
            "portal:map",
            "portal:ranking",
            "portal:tourism",
            "portal:open_data",
        ]

    def location(self, item: str) -> str:
        return path_of(item)


class ProductSitemap(PortalSitemap):
    """Products whose certificate is in force today."""

    priority = 0.6

    def items(self) -> list[tuple[int, str, dt.datetime]]:
        return list(base_listing().order_by("pk").values_list("pk", "slug", "refreshed_at"))

    def location(self, item) -> str:
        return path_of("portal:product", item[0], item[1])

    def lastmod(self, item) -> dt.datetime:
        return item[2]


class EntitySitemap(PortalSitemap):
    """Entities with at least one product in force."""

    priority = 0.5

    def items(self) -> list[tuple[int, str]]:
        rows = base_listing().order_by("entity_id").values_list("entity_id", "entity_name").distinct()
        return [(pk, slug_for(name)) for pk, name in rows]

    def location(self, item) -> str:
        return path_of("portal:entity", item[0], item[1])


class PlaceSitemap(PortalSitemap):
    """Points of sale open today."""

    priority = 0.5

    def items(self) -> list[tuple[int, str]]:
        return [(point.pk, slug_for(point.name)) for point in public_points_of_sale(day=today())]

    def location(self, item) -> str:
        return path_of("portal:place", item[0], item[1])


class FairSitemap(PortalSitemap):
    """Fairs and trade events, coming and past (an event page stays as its record)."""

    priority = 0.4

    def items(self) -> list[tuple[int, str]]:
        upcoming, past = public_fairs(day=today())
        return [(fair.pk, slug_for(fair.name)) for fair in upcoming + past]

    def location(self, item) -> str:
        return path_of("portal:fair", item[0], item[1])


class ProvinceSitemap(PortalSitemap):
    priority = 0.5

    def items(self) -> list[tuple[int, str]]:
        from . import selectors

        return [(tile.pk, slug_for(tile.name)) for tile in selectors.province_tiles()]

    def location(self, item) -> str:
        return path_of("portal:province", item[0], item[1])


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": PagesSitemap,
    "products": ProductSitemap,
    "entities": EntitySitemap,
    "places": PlaceSitemap,
    "fairs": FairSitemap,
    "provinces": ProvinceSitemap,
}


def sitemap_xml(*, protocol: str, domain: str) -> str:
    """The whole urlset (page 1 of every section: each stays under the protocol's 50,000 addresses)."""
    from django.contrib.sites.requests import RequestSite

    class _Site(RequestSite):
        def __init__(self) -> None:
            self.domain = self.name = domain

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    site = _Site()
    for section in SITEMAPS.values():
        for url in section().get_urls(page=1, site=site, protocol=protocol):
            lines.append(f"<url><loc>{escape(url['location'])}</loc>")
            if url["lastmod"]:
                lines.append(f"<lastmod>{url['lastmod']:%Y-%m-%d}</lastmod>")
            if url["changefreq"]:
                lines.append(f"<changefreq>{url['changefreq']}</changefreq>")
            if url["priority"]:
                lines.append(f"<priority>{url['priority']}</priority>")
            for alternate in url["alternates"]:
                lines.append(
                    f'<xhtml:link rel="alternate" hreflang="{alternate["lang_code"]}" '
                    f'href="{escape(alternate["location"])}"/>'
                )
            lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines)
