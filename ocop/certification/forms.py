from __future__ import annotations

from django import forms


class RevocationForm(forms.Form):
    number = forms.CharField(label="Số quyết định thu hồi", max_length=60)
    date = forms.DateField(label="Ngày quyết định", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="Lý do thu hồi",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ví dụ: vi phạm an toàn thực phẩm, chủ thể ngừng sản xuất, không duy trì tiêu chí.",
    )
    signer = forms.CharField(label="Người ký", max_length=150, required=False)
