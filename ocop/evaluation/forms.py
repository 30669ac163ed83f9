from __future__ import annotations

from django import forms

from ocop.evaluation.criteria import SET_NUMBERS

from .models import LEGAL_VERSION_CHOICES

MAX_CRITERIA_BYTES = 1024 * 1024


class CriteriaUploadForm(forms.Form):
    legal_version = forms.ChoiceField(label="Văn bản", choices=LEGAL_VERSION_CHOICES)
    set_number = forms.TypedChoiceField(
        label="Bộ sản phẩm số", coerce=int, choices=[(n, n) for n in SET_NUMBERS]
    )
    file = forms.FileField(
        label="Tệp CSV đã sửa",
        help_text="UTF-8, các cột title, description, level, stars, score; tối đa 1 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CRITERIA_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 1 MB.")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Chỉ nhận tệp .csv.")
        try:
            return upload.name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("Tệp không phải UTF-8.") from exc
