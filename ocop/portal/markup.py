"""Repeated pieces of the public pages built in Python: the product cards and the options of the search
filters.

A search page lists 20 cards (each two template includes and a loop for the stars) and up to a few hundred
province and commune options; through the template engine that was about a third of the page's server
time. The markup is the same as ``portal/_card.html`` and ``portal/_stars.html`` produce (a test compares
them), built with f-strings and the standard library's ``html.escape``, which escapes the same characters
as Django's autoescape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .models import PortalListing


def stars_html(n: int) -> str:
    """``portal/_stars.html`` (with its closing newline)."""
    return f'<span class="stars s{n}" aria-label="{n} sao" title="{n} sao">{"★" * min(n, 5)}</span>\n'


def card_html(row: PortalListing, day: dt.date) -> str:
    """``portal/_card.html`` for one listed product."""
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


def options_html(choices: Iterable[tuple[object, str]], selected: object = None) -> SafeString:
    """``<option>`` elements for (value, label) pairs; the one whose value equals ``selected`` is marked."""
    html = "".join(
        f'<option value="{escape(str(value))}"{" selected" * (value == selected)}>{escape(label)}</option>'
        for value, label in choices
    )
    return mark_safe(html)  # noqa: S308 — every value and label is escaped above
