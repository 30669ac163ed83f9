"""``/sitemap.xml`` with Django's sitemaps framework: the home page and the portal's lists, and every public
product, entity, place and fair page whose product is in force or whose place is open. Each address is the
Vietnamese page (the default) with its ``hreflang`` alternates: itself, its English twin under /en/ and
x-default.

The sections are the framework's ``Sitemap`` classes (items, locations, lastmod). The alternates are written
here rather than by the framework's i18n mode, which lists every page once per language (the national data
would come close to the protocol's 50,000 addresses per file) and activates a language around every address
(186,000 activations: seconds). The answer is stored in the portal's page cache until the next change.
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
from .slugs import slug_for

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
    """Vietnamese addresses (the site's default); ``sitemap_xml`` adds each one's alternates."""

    def location(self, item) -> str:
        raise NotImplementedError


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

    origin = f"{protocol}://{domain}"
    english = path_of("portal:home", language="en").rstrip("/")  # "/en": the language prefix
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    site = _Site()
    with translation.override("vi"):
        for section in SITEMAPS.values():
            for url in section().get_urls(page=1, site=site, protocol=protocol):
                path = url["location"][len(origin) :]
                vietnamese, in_english = escape(origin + path), escape(origin + english + path)
                alternates = (
                    f'<xhtml:link rel="alternate" hreflang="vi" href="{vietnamese}"/>'
                    f'<xhtml:link rel="alternate" hreflang="en" href="{in_english}"/>'
                    f'<xhtml:link rel="alternate" hreflang="x-default" href="{vietnamese}"/>'
                )
                extra = ""
                if url["lastmod"]:
                    extra += f"<lastmod>{url['lastmod']:%Y-%m-%d}</lastmod>"
                if url["changefreq"]:
                    extra += f"<changefreq>{url['changefreq']}</changefreq>"
                if url["priority"]:
                    extra += f"<priority>{url['priority']}</priority>"
                lines.append(f"<url><loc>{vietnamese}</loc>{extra}{alternates}</url>")
    lines.append("</urlset>")
    return "\n".join(lines)
