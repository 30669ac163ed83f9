from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import FeedbackKind, FeedbackStatus


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("Vấn đề"), choices=FeedbackKind.choices)
    message = forms.CharField(
        label=_("Nội dung"),
        max_length=3000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mô tả điều bạn thấy: nơi mua, ngày mua, số lô hoặc mã tem nếu có."),
        error_messages={
            "required": _("Hãy viết nội dung phản ánh."),
            "min_length": _("Nội dung phản ánh cần ít nhất %(limit_value)d ký tự (hiện có %(show_value)d)."),
        },
    )
    photo = forms.ImageField(label=_("Ảnh kèm theo (không bắt buộc, tối đa 8 MB)"), required=False)
    reporter_name = forms.CharField(label=_("Tên của bạn (không bắt buộc)"), max_length=100, required=False)
    reporter_phone = forms.RegexField(
        label=_("Số điện thoại (không công khai)"),
        regex=r"^\+?[0-9 .\-]{8,15}$",
        required=False,
        error_messages={"invalid": _("Số điện thoại chỉ gồm chữ số (8–15 ký tự).")},
    )
    reporter_email = forms.EmailField(
        label=_("Thư điện tử (không công khai)"),
        required=False,
        error_messages={"invalid": _("Thư điện tử chưa đúng dạng, ví dụ: ten@example.com.")},
    )
    # Honeypot: hidden from people by CSS, filled in by bots.
    website = forms.CharField(label=_("Trang web của bạn"), required=False)


class FeedbackAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label="Kết quả xử lý",
        choices=[
            (FeedbackStatus.ANSWERED, "Trả lời và công khai"),
            (FeedbackStatus.REJECTED, "Không tiếp nhận"),
        ],
    )
    answer = forms.CharField(
        label="Trả lời (hiển thị công khai kèm phản ánh)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
