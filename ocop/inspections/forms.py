from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from ocop.core.widgets import PlainSelect

from .choices import CHECKLIST, FINDING_FIELDS, Check
from .models import Inspection

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class PlanForm(forms.Form):
    province = forms.TypedChoiceField(label="Tỉnh", coerce=int, widget=PlainSelect)
    year = forms.IntegerField(label="Năm", min_value=2018, max_value=2100)
    title = forms.CharField(label="Tên kế hoạch", max_length=255)
    decision = forms.CharField(label="Số văn bản ban hành kế hoạch", max_length=80, required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, provinces: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(p.pk, p.name) for p in provinces]
        self.fields["year"].initial = timezone.localdate().year


class PlanProductForm(forms.Form):
    product = forms.ModelChoiceField(label="Sản phẩm", queryset=None)
    due_date = forms.DateField(label="Hạn kiểm tra", widget=DATE, input_formats=FORMATS)

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda p: f"{p.name} — {p.entity.name}"


class FindingsForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = list(FINDING_FIELDS)
        widgets = {
            "inspected_on": DATE,
            "fix_by": DATE,
            "findings": forms.Textarea(attrs={"rows": 4}),
            **{name: forms.RadioSelect for name, _label in CHECKLIST},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("inspected_on", "fix_by"):
            self.fields[name].input_formats = FORMATS
        for name, _label in CHECKLIST:
            self.fields[name].choices = Check.choices
            self.fields[name].required = True
        self.fields["verdict"].required = True
        self.fields["inspected_on"].required = True
        self.fields["evidence"].help_text = "Biên bản kiểm tra, ảnh chụp (PDF, JPG, PNG; tối đa 10 MB)."

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
        if upload and hasattr(upload, "size"):
            if upload.size > 10 * 1024 * 1024:
                raise forms.ValidationError("Tệp minh chứng tối đa 10 MB.")
            if not upload.name.lower().endswith((".pdf", ".jpg", ".jpeg", ".png")):
                raise forms.ValidationError("Chỉ nhận tệp PDF, JPG hoặc PNG.")
        return upload


class RevokeForm(forms.Form):
    number = forms.CharField(label="Số quyết định thu hồi", max_length=60)
    date = forms.DateField(label="Ngày quyết định", widget=DATE, input_formats=FORMATS)
    reason = forms.CharField(label="Lý do thu hồi", widget=forms.Textarea(attrs={"rows": 3}))
    signer = forms.CharField(label="Người ký", max_length=150, required=False)


class ListFilterForm(forms.Form):
    nam = forms.IntegerField(label="Năm kế hoạch", required=False, min_value=2018, max_value=2100)
    trang_thai = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        choices=[
            ("", "Tất cả"),
            ("planned", "Chưa kiểm tra"),
            ("overdue", "Quá hạn"),
            ("done", "Đã kiểm tra"),
        ],
    )
