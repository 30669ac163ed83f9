from __future__ import annotations

from django import forms
from django.utils import timezone


class ConsentForm(forms.Form):
    """What the representative agrees to show on the public portal; rules live in services.consent_record."""

    show_representative = forms.BooleanField(
        label="Đồng ý công khai họ tên người đại diện / chủ hộ", required=False
    )
    show_phone = forms.BooleanField(label="Đồng ý công khai số điện thoại liên hệ", required=False)
    given_on = forms.DateField(
        label="Ngày đồng ý",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    evidence = forms.CharField(
        label="Căn cứ (số phiếu đồng ý, văn bản có chữ ký)",
        max_length=200,
        required=False,
        help_text="Bắt buộc khi cán bộ ghi nhận thay chủ thể.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].widget.attrs["max"] = timezone.localdate().isoformat()
