from __future__ import annotations

from django import forms

from ocop.core.forms import PlainEmptyChoices

from .choices import BizStep
from .issue import MAX_COUNT
from .models import Batch
from .selectors import products_for_batches

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.entity.name}"


class BatchForm(PlainEmptyChoices, forms.ModelForm):
    product = ProductChoiceField(queryset=None, label="Sản phẩm")

    class Meta:
        model = Batch
        fields = [
            "product",
            "lot",
            "production_date",
            "expiry_date",
            "quantity",
            "raw_material_origin",
            "area_certificates",
        ]
        widgets = {
            "production_date": DATE,
            "expiry_date": DATE,
            "raw_material_origin": forms.Textarea(attrs={"rows": 3}),
            "area_certificates": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products_for_batches(user=user)
        self.fields["raw_material_origin"].help_text = "Nguyên liệu chính, nơi trồng/nuôi, lô nguyên liệu."
        if self.instance.pk:
            del self.fields["product"]
            self.fields["lot"].disabled = True

    def validate_unique(self) -> None:
        """Uniqueness of (product, lot) is checked by the service with a Vietnamese message."""


class EventForm(forms.Form):
    biz_step = forms.ChoiceField(label="Công đoạn", choices=BizStep.choices)
    event_time = forms.DateTimeField(
        label="Thời điểm",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    quantity = forms.IntegerField(label="Số lượng", min_value=0, required=False)
    biz_location = forms.CharField(label="Địa điểm", max_length=200, required=False)
    read_point = forms.CharField(
        label="Điểm ghi nhận", max_length=200, required=False, help_text="Ví dụ: xưởng đóng gói, kho, quầy."
    )
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)


class IssueForm(forms.Form):
    count = forms.IntegerField(label="Số tem cần phát hành", min_value=1, max_value=MAX_COUNT, initial=100)
    active = forms.BooleanField(
        label="Kích hoạt ngay (tem dán lên sản phẩm ngay sau khi in)", required=False, initial=True
    )


class RangeForm(forms.Form):
    first = forms.IntegerField(label="Từ số", min_value=1)
    last = forms.IntegerField(label="Đến số", min_value=1)
