from __future__ import annotations

from django import forms

from ocop.core.forms import PlainEmptyChoices
from ocop.geography.forms import UnitChoiceField
from ocop.geography.selectors import commune_choices_for

from .models import Entity
from .services import EDITABLE_FIELDS


class EntityForm(PlainEmptyChoices, forms.ModelForm):
    commune = UnitChoiceField(queryset=None, label="Xã/phường")
    website = forms.URLField(label="Trang web", required=False, assume_scheme="https")

    class Meta:
        model = Entity
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "founded_year": forms.NumberInput(attrs={"min": 1945, "max": 2100}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["commune"].queryset = commune_choices_for(
            None if user.is_admin_role else user.unit, keep=self.instance.commune_id
        )
        if not user.can("create_entity"):
            # A producer edits its own details but cannot move itself to another commune.
            self.fields["commune"].disabled = True
            self.fields["commune"].queryset = self.fields["commune"].queryset.model.objects.filter(
                pk=self.instance.commune_id
            )
        if not user.sees_personal_data:
            for name in Entity.PERSONAL_FIELDS:
                self.fields.pop(name, None)
        self.fields["tax_code"].help_text = "Không bắt buộc với hộ kinh doanh chưa có mã số thuế."

    def clean_name(self) -> str:
        from ocop.core.text import normalize_display

        name = normalize_display(self.cleaned_data["name"])
        if len(name) < 2:
            raise forms.ValidationError("Tên chủ thể quá ngắn.")
        return name

    def clean_tax_code(self) -> str:
        tax_code = (self.cleaned_data.get("tax_code") or "").strip()
        if tax_code and Entity.objects.filter(tax_code=tax_code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Mã số thuế/số đăng ký này đã thuộc về một chủ thể khác.")
        return tax_code

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and not 1900 <= year <= 2100:
            raise forms.ValidationError("Năm thành lập không hợp lệ.")
        return year


class EntityFilterForm(forms.Form):
    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Tên, mã số thuế, địa chỉ…"}),
    )
    entity_type = forms.ChoiceField(label="Loại hình", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import EntityType

        self.fields["entity_type"].choices = [("", "Tất cả"), *EntityType.choices]
