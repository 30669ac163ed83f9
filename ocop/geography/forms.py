from __future__ import annotations

from django import forms

from ocop.core.widgets import PlainSelect

from .labels import unit_label
from .models import AdminUnit


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picker whose options never read the same: old units marked, communes with their province
    (``labels.unit_label``; the queryset selects parent and province)."""

    widget = PlainSelect  # thousands of communes: no template include per option

    def label_from_instance(self, obj: AdminUnit) -> str:
        return unit_label(obj)
