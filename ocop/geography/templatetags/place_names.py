"""Staff pages name a registered commune as today (``ocop.geography.labels``): ``{% load place_names %}``,
then ``{{ commune|commune_now }}``, ``{{ commune|province_now }}`` or ``{{ commune|place_now }}``."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ocop.geography import labels
from ocop.geography.models import AdminUnit

register = template.Library()


@register.filter
def commune_now(commune: AdminUnit | None) -> str:
    return labels.commune_now(commune, timezone.localdate()) if commune is not None else ""


@register.filter
def province_now(commune: AdminUnit | None) -> str:
    return labels.province_now(commune, timezone.localdate()) if commune is not None else ""


@register.filter
def place_now(commune: AdminUnit | None) -> str:
    return str(labels.commune_place(commune, timezone.localdate())) if commune is not None else ""


@register.filter(name="unit_label")
def unit_label_filter(unit: AdminUnit | None) -> str:
    """A unit in a heading as in a picker: an old unit marked "(cũ, trước 01/07/2025)"."""
    return labels.unit_label(unit) if unit is not None else ""
