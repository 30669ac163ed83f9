"""Repeated pieces of the public pages, built in Python: the product card (every page that lists products,
the search page included, through ``{% product_cards %}``) and the star mark. (The search filters'
options come from ``ocop.core.widgets.options_html``.)

A search page lists 20 cards; as template includes and loops they were, with the filters' options, about
a third of the page's server time. Built with f-strings and the standard
library's ``html.escape``, which escapes the same characters as Django's autoescape. This is the one
definition of a card (there is no card template).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .models import PortalListing


def stars_html(n: int) -> str:
    """The stars of an OCOP rating, with their spoken label."""
    return f'<span class="stars s{n}" aria-label="{n} sao" title="{n} sao">{"★" * min(n, 5)}</span>'


def card_html(row: PortalListing, day: dt.date) -> str:
    """One listed product: name and link, stars (and "Hết hiệu lực" once its certificate has ended), entity,
    place."""
    old = ' <span class="tag tag--old">Hết hiệu lực</span>' if row.valid_to < day else ""
    district = f", {escape(row.district_name)}" if row.district_name else ""
    return (
        '<li class="card">\n'
        f'  <a class="card__name" href="{escape(row.get_absolute_url())}">{escape(row.name)}</a>\n'
        f'  <div class="card__meta">{stars_html(row.stars)}{old}</div>\n'
        f'  <div class="card__by">{escape(row.entity_name)}</div>\n'
        f'  <div class="card__at">{escape(row.commune_name)}{district}, {escape(row.province_name)}</div>\n'
        "</li>\n"
    )


def cards_html(rows: Iterable[PortalListing], day: dt.date) -> SafeString:
    return mark_safe("".join(card_html(row, day) for row in rows))  # noqa: S308 — every field escaped
