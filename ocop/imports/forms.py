from __future__ import annotations

from django import forms

from ocop.core.tabular.readers import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp danh sách (CSV, XLSX, XLS hoặc ODS)",
        help_text=f"Tối đa {MAX_BYTES // (1024 * 1024)} MB. Mỗi dòng là một quyết định: Tên sản phẩm, "
        "Chủ thể, "
        "Xã, Huyện, Tỉnh, Hạng sao, Số quyết định, Ngày quyết định, Hình thức…",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,.xls,.ods,text/csv,application/vnd.openxmlformats-"
                "officedocument.spreadsheetml.sheet,application/vnd.ms-excel,"
                "application/vnd.oasis.opendocument.spreadsheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"Tệp quá lớn; giới hạn {MAX_BYTES // (1024 * 1024)} MB.")
        if upload.size == 0:
            raise forms.ValidationError("Tệp rỗng.")
        return upload
