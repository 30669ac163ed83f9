from __future__ import annotations

from typing import Any

from django import forms

from ocop.core.forms import PlainEmptyChoices
from ocop.core.widgets import PlainSelect
from ocop.geography.labels import unit_label
from ocop.producers.models import Entity
from ocop.products.models import Product

from .models import Grant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class PolicyForm(forms.Form):
    province = forms.TypedChoiceField(label="Tỉnh", coerce=int, widget=PlainSelect)
    number = forms.CharField(label="Số nghị quyết/quyết định", max_length=80)
    title = forms.CharField(label="Trích yếu", max_length=255)
    issued_on = forms.DateField(label="Ngày ban hành", widget=DATE, input_formats=FORMATS)
    valid_from = forms.DateField(label="Hiệu lực từ", widget=DATE, input_formats=FORMATS)
    valid_until = forms.DateField(label="Hiệu lực đến", widget=DATE, input_formats=FORMATS, required=False)

    def __init__(self, *args: Any, provinces: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(p.pk, unit_label(p)) for p in provinces]


class PolicyItemForm(forms.Form):
    content = forms.CharField(label="Nội dung hỗ trợ", max_length=255)
    rate_percent = forms.DecimalField(
        label="Mức hỗ trợ tối đa (% chi phí)", min_value=0.01, max_value=100, decimal_places=2
    )
    cap_vnd = forms.IntegerField(label="Tối đa mỗi lần hỗ trợ (đồng)", min_value=1)


class GrantForm(PlainEmptyChoices, forms.ModelForm):
    class Meta:
        model = Grant
        fields = ["item", "entity", "product", "cost_vnd", "amount_vnd", "paid_on", "purpose", "decision"]
        widgets = {"paid_on": DATE}

    def __init__(self, *args: Any, user: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["entity"].queryset = Entity.objects.for_user(user, "change").order_by("name_key")
        self.fields["product"].queryset = (
            Product.objects.for_user(user, "change").select_related("entity").order_by("name_key")
        )
        self.fields["paid_on"].input_formats = FORMATS


class GrantFilterForm(forms.Form):
    nam = forms.IntegerField(label="Năm chi", required=False, min_value=2018, max_value=2100)
    chinh_sach = forms.TypedChoiceField(label="Chính sách", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, policies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chinh_sach"].choices = [("", "Tất cả"), *((p.pk, p.number) for p in policies)]
