from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from ocop.core.widgets import PlainSelect
from ocop.geography.labels import unit_label

from .choices import Metric


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StatsFilterForm(forms.Form):
    """As-of date (and, for admins and merged provinces, the unit) of the dashboard and targets page."""

    unit = forms.TypedChoiceField(label="Đơn vị", coerce=int, required=False, widget=PlainSelect)
    as_of = forms.DateField(
        label="Tính đến ngày", required=False, widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )

    def __init__(self, *args, units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(u.pk, unit_label(u)) for u in units]
        if len(choices) > 1:
            self.fields["unit"].choices = choices
        else:
            del self.fields["unit"]

    def clean_as_of(self) -> dt.date:
        return self.cleaned_data.get("as_of") or timezone.localdate()


class TargetForm(forms.Form):
    # "place", not "unit": the filter form above it on the page has a "unit" field already.
    place = forms.TypedChoiceField(
        label="Đơn vị",
        coerce=int,
        required=False,
        empty_value=None,
        widget=PlainSelect,
        help_text="Cả tỉnh, hoặc một xã/phường (huyện: chỉ các kỳ bắt đầu trước 01/07/2025).",
        error_messages={"invalid_choice": "Đơn vị này không thuộc tỉnh đang chọn."},
    )
    metric = forms.ChoiceField(label="Chỉ tiêu", choices=Metric.choices)
    value = forms.IntegerField(
        label="Giá trị kế hoạch",
        min_value=1,
        error_messages={"min_value": "Giá trị kế hoạch phải là số dương."},
    )
    start = forms.DateField(label="Từ ngày", widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    deadline = forms.DateField(label="Đến ngày", widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def __init__(self, *args, province=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices: list = [("", "Cả tỉnh")]
        if province is not None:
            from ocop.geography.models import AdminUnit, Level

            below = AdminUnit.objects.filter(province=province, level__in=(Level.DISTRICT, Level.COMMUNE))
            units = list(below.select_related("parent", "province").order_by("level", "name"))
            districts = [(u.pk, unit_label(u)) for u in units if u.level == Level.DISTRICT]
            communes = [(u.pk, unit_label(u)) for u in units if u.level == Level.COMMUNE]
            if districts:
                choices.append(("Huyện (trước 01/07/2025)", districts))
            if communes:
                choices.append(("Xã/phường", communes))
        self.fields["place"].choices = choices

    def clean(self) -> dict:
        data = super().clean()
        start, deadline = data.get("start"), data.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data
