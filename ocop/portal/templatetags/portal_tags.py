"""The portal's repeated markup in templates: ``{% product_cards rows day %}``, ``{% star_mark n %}``
(both from ``ocop.portal.markup``, the one definition of a product card), the language links, and the
English text of records on the /en/ pages."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from ocop.portal import markup

register = template.Library()


@register.simple_tag
def product_cards(rows, day) -> SafeString:
    return markup.cards_html(rows, day)


@register.simple_tag
def star_mark(n) -> SafeString:
    return mark_safe(markup.stars_html(int(n)))  # noqa: S308 — built from an integer and a catalogue string


@register.filter
def place(label) -> SafeString:
    """A place label (``ocop.portal.placenames``) with its former name in brackets."""
    return mark_safe(markup.place_html(label))  # noqa: S308 — escaped in place_html


@register.filter
def with_sources(text: str) -> SafeString:
    return markup.text_with_sources(text or "")


@register.filter
def translated(text: str) -> str:
    """Reference data shown as is in Vietnamese (group names…), from the catalogue on the English pages."""
    return gettext(text) if text else text


@register.simple_tag
def english(record, field: str) -> str:
    """``record.<field>_en`` on the English pages when an officer entered it, else the Vietnamese text."""
    if get_language() == "en":
        text = getattr(record, f"{field}_en", "")
        if text:
            return text
    return getattr(record, field, "")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """Each language's address of this page: for the switch (with the query) and hreflang (without)."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        links.append(
            {
                "code": code,
                "name": name,
                "url": translate_url(request.get_full_path(), code),
                "href": request.build_absolute_uri(translate_url(request.path, code)),
                "current": code == current,
            }
        )
    return links
