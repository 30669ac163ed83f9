from __future__ import annotations

from django import template

from ocop.legal.periods import LEVEL_NAMES

register = template.Library()


@register.filter
def level_name(value: str) -> str:
    """ "province" → "cấp tỉnh" (levels of the periods table)."""
    return LEVEL_NAMES.get(value, value)
