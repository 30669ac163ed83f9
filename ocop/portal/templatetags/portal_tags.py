"""The portal's repeated markup in templates: ``{% product_cards rows day %}``, ``{% star_mark n %}``
(both from ``ocop.portal.markup``, the one definition of a product card)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from ocop.portal import markup

register = template.Library()


@register.simple_tag
def product_cards(rows, day) -> SafeString:
    return markup.cards_html(rows, day)


@register.simple_tag
def star_mark(n) -> SafeString:
    return mark_safe(markup.stars_html(int(n)))  # noqa: S308 — an integer, nothing to escape
