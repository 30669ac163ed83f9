from __future__ import annotations

from django import forms
from django.conf import settings

from ocop.core.forms import PlainEmptyChoices
from ocop.core.text import normalize_display
from ocop.core.widgets import PlainSelect
from ocop.geography.forms import UnitChoiceField
from ocop.geography.selectors import commune_choices_for
from ocop.producers.models import Entity

from .models import Product, ProductStatus
from .selectors import current_groups, current_sets
from .services import EDITABLE_FIELDS


class ProductSetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.group.code} · {obj.number}. {obj.name}"


class ProductForm(PlainEmptyChoices, forms.ModelForm):
    entity = forms.ModelChoiceField(queryset=None, label="Chủ thể", widget=PlainSelect)
    commune = UnitChoiceField(
        queryset=None,
        label="Xã/phường sản xuất",
        required=False,
        help_text="Để trống nếu trùng địa bàn của chủ thể.",
    )
    product_set = ProductSetChoiceField(queryset=None, label="Bộ sản phẩm (Quyết định 148)")

    class Meta:
        model = Product
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "story": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["entity"].queryset = Entity.objects.for_user(user, "change").select_related("commune")
        self.fields["commune"].queryset = commune_choices_for(
            None if user.is_admin_role else user.unit, keep=self.instance.commune_id
        )
        self.fields["product_set"].queryset = current_sets()
        if self.instance.pk and self.instance.product_set_id:
            # Keep a historical (1048/2019) set selectable on records that already use it.
            self.fields["product_set"].queryset = (
                current_sets()
                | type(self.instance.product_set).objects.filter(pk=self.instance.product_set_id)
            ).select_related("group")
        if user.entity_id and not user.is_admin_role:
            self.fields["entity"].initial = user.entity_id
            self.fields["entity"].disabled = True
            self.fields["commune"].queryset = self.fields["commune"].queryset.model.objects.filter(
                pk=user.entity.commune_id
            )
        self.fields["gtin"].help_text = "8, 12, 13 hoặc 14 chữ số (không bắt buộc)."

    def clean_name(self) -> str:
        name = normalize_display(self.cleaned_data["name"])
        if len(name) < 2:
            raise forms.ValidationError("Tên sản phẩm quá ngắn.")
        return name

    def clean_gtin(self) -> str:
        return (self.cleaned_data.get("gtin") or "").replace(" ", "")

    def clean(self):
        data = super().clean()
        if data.get("entity") and not data.get("commune"):
            data["commune"] = data["entity"].commune
            # ModelForm copies cleaned_data to the instance after clean(); keep them in step.
        return data


class ProductImageForm(forms.Form):
    image = forms.ImageField(label="Ảnh sản phẩm")
    caption = forms.CharField(label="Chú thích", max_length=200, required=False)

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > settings.MAX_IMAGE_UPLOAD_BYTES:
            raise forms.ValidationError("Ảnh quá lớn (tối đa 5 MB).")
        return image


class ProductFilterForm(forms.Form):
    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Tên sản phẩm, chủ thể, địa bàn…"}),
    )
    group = forms.ChoiceField(label="Nhóm", required=False)
    product_set = forms.TypedChoiceField(label="Bộ sản phẩm", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Tình trạng", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "Tất cả"), *[(g.code, str(g)) for g in current_groups()]]
        self.fields["product_set"].choices = [
            ("", "Tất cả"),
            *[(s.pk, f"{s.number}. {s.name}") for s in current_sets()],
        ]
        self.fields["status"].choices = [("", "Tất cả"), *ProductStatus.choices]
