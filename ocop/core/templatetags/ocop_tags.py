from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ocop.core.errorsummary import ErrorItem, error_items

register = template.Library()


@register.simple_tag(takes_context=True)
def error_summary(context, with_messages: bool = True) -> list[ErrorItem]:
    """``{% error_summary as error_list %}``: the page's errors for the summary at the top (and the "Lỗi:"
    of the title), from every validated form of the context and, ``with_messages``, the error messages."""
    messages = context.get("messages") if with_messages else None
    return error_items(context.flatten().values(), messages or ())


@register.filter
def stars(value) -> str:
    """3 → "★★★" (the label for screen readers is written next to it in templates)."""
    try:
        count = int(value)
    except (TypeError, ValueError):
        return ""
    return "★" * max(0, min(count, 5))


@register.simple_tag
def star_rating(value) -> SafeString | str:
    """``{% star_rating 4 %}``: the stars drawn, with their text alternative ("4 sao") for screen readers
    (the glyphs themselves are not read out, the label is)."""
    drawn = stars(value)
    if not drawn:
        return ""
    spoken = f"{len(drawn)} sao"
    return format_html(
        '<span class="stars" role="img" aria-label="{}" title="{}">{}</span>', spoken, spoken, drawn
    )


@register.filter
def vnd(value) -> str:
    """5000000 → "5.000.000" (Vietnamese thousands separator, whatever the locale settings)."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""
