from __future__ import annotations

from django import forms

from .choices import EventKind


class RevocationForm(forms.Form):
    number = forms.CharField(label="Số quyết định thu hồi", max_length=60)
    date = forms.DateField(label="Ngày quyết định", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label="Lý do thu hồi",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ví dụ: vi phạm an toàn thực phẩm, chủ thể ngừng sản xuất, không duy trì tiêu chí.",
    )
    signer = forms.CharField(label="Người ký", max_length=150, required=False)


class RecordForm(forms.Form):
    """A recognition decision already issued, typed in from the paper (history)."""

    stars = forms.TypedChoiceField(
        label="Hạng sao", coerce=int, choices=[(3, "3 sao"), (4, "4 sao"), (5, "5 sao")], initial=3
    )
    number = forms.CharField(label="Số quyết định", max_length=60)
    date = forms.DateField(
        label="Ngày quyết định",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Cơ quan ban hành là cấp công nhận hạng sao đó theo quy định tại ngày này.",
    )
    kind = forms.ChoiceField(
        label="Hình thức",
        required=False,
        choices=[
            ("", "Tự suy ra từ lịch sử"),
            *[(k, v) for k, v in EventKind.choices if k != EventKind.REVOCATION],
        ],
    )
    score = forms.DecimalField(
        label="Điểm (nếu có)", required=False, min_value=0, max_value=100, decimal_places=2
    )
    signer = forms.CharField(label="Người ký", max_length=150, required=False)
