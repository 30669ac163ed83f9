from django import template

register = template.Library()


@register.filter
def stars(value) -> str:
    """3 → "★★★" (the label for screen readers is written next to it in templates)."""
    try:
        count = int(value)
    except (TypeError, ValueError):
        return ""
    return "★" * max(0, min(count, 5))


@register.filter
def vnd(value) -> str:
    """5000000 → "5.000.000" (Vietnamese thousands separator, whatever the locale settings)."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""
