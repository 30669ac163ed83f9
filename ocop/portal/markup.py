"""Repeated pieces of the public pages, built in Python: the product card (every page that lists products,
the search page included, through ``{% product_cards %}``) and the star mark. (The search filters'
options come from ``ocop.core.widgets.options_html``.)

A search page lists 20 cards; as template includes and loops they were, with the filters' options, about
a third of the page's server time. Built with f-strings and the standard
library's ``html.escape``, which escapes the same characters as Django's autoescape. This is the one
definition of a card (there is no card template).

Places are named as today (``placenames``: 2025 commune and province, the registered name in brackets); on the
English pages a product's English name is shown where an officer entered one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from html import escape
from urllib.parse import urlsplit

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from ocop.geography.labels import PlaceLabel

from .models import PortalListing
from .placenames import listing_labels


def stars_html(n: int) -> str:
    """The stars of an OCOP rating, with their text alternative ("4 sao")."""
    spoken = escape(ngettext("%(n)d sao", "%(n)d sao", n) % {"n": n})
    return (
        f'<span class="stars s{n}" role="img" aria-label="{spoken}" title="{spoken}">{"★" * min(n, 5)}</span>'
    )


def place_html(place: PlaceLabel) -> str:
    if not place.former:
        return escape(place.current)
    formerly = escape(gettext("trước đây"))
    return f'{escape(place.current)} <span class="was">({formerly}: {escape(place.former)})</span>'


def card_html(row: PortalListing, day: dt.date, place: PlaceLabel | None = None, name: str = "") -> str:
    """One listed product: name and link, stars (and "Hết hiệu lực" once its certificate has ended), entity,
    place."""
    expired = escape(gettext("Hết hiệu lực"))
    old = f' <span class="tag tag--old">{expired}</span>' if row.valid_to < day else ""
    if place is None:
        place = listing_labels([row], day)[row.pk]
    return (
        '<li class="card">\n'
        f'  <a class="card__name" href="{escape(row.get_absolute_url())}">{escape(name or row.name)}</a>\n'
        f'  <div class="card__meta">{stars_html(row.stars)}{old}</div>\n'
        f'  <div class="card__by">{escape(row.entity_name)}</div>\n'
        f'  <div class="card__at">{place_html(place)}</div>\n'
        "</li>\n"
    )


def english_names(rows: list[PortalListing]) -> dict[int, str]:
    """Product id → English name on the English pages (one query), nothing on the Vietnamese ones."""
    if not rows or get_language() != "en":
        return {}
    from ocop.products.selectors import product_english_names

    return product_english_names(ids=[row.pk for row in rows])


def cards_html(rows: Iterable[PortalListing], day: dt.date) -> SafeString:
    rows = list(rows)
    places = listing_labels(rows, day)
    names = english_names(rows)
    html = "".join(card_html(row, day, places[row.pk], names.get(row.pk, "")) for row in rows)
    return mark_safe(html)  # noqa: S308 — every field escaped


_URL = re.compile(r"https?://[^\s<>\"';]+")


def text_with_sources(text: str) -> SafeString:
    """Plain text for a description that quotes its sources as raw addresses ("Nguồn công bố: https://…"):
    each address becomes a link that reads as its site's name; line breaks are kept."""
    out: list[str] = []
    last = 0
    for found in _URL.finditer(text):
        url = found.group(0).rstrip(".,)")
        out.append(escape(text[last : found.start()]))
        host = (urlsplit(url).hostname or url).removeprefix("www.")
        out.append(f'<a href="{escape(url)}" rel="nofollow noopener">{escape(host)}</a>')
        last = found.start() + len(url)
    out.append(escape(text[last:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 — every piece escaped
