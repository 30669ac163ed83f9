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
