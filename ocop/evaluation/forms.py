from __future__ import annotations

from django import forms

from ocop.accounts.roles import Role
from ocop.core.forms import PlainEmptyChoices
from ocop.evaluation.criteria import SET_NUMBERS
from ocop.products.models import ProductSet

from .choices import CouncilLevel, DossierKind, IdeaKind, MemberRole
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


class IdeaForm(forms.Form):
    product_name = forms.CharField(label="Tên sản phẩm", max_length=255)
    product_set = forms.ModelChoiceField(label="Bộ sản phẩm (Quyết định 148)", queryset=None)
    kind = forms.ChoiceField(label="Loại", choices=IdeaKind.choices)
    year = forms.IntegerField(label="Năm", min_value=2019, max_value=2100)
    description = forms.CharField(label="Mô tả ý tưởng", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_set"].queryset = ProductSet.objects.filter(
            group__classification__is_current=True
        ).select_related("group")
        self.fields["product_set"].label_from_instance = lambda s: f"{s.group.code} · {s.number}. {s.name}"


class IdeaReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Kết quả xem xét",
        choices=[("accept", "Chấp nhận"), ("return", "Trả lại")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Ý kiến / lý do", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DossierCreateForm(PlainEmptyChoices, forms.Form):
    product = forms.ModelChoiceField(label="Sản phẩm", queryset=None)
    year = forms.IntegerField(label="Năm", min_value=2019, max_value=2100)
    round_number = forms.IntegerField(label="Đợt", min_value=1, max_value=12, initial=1)
    kind = forms.ChoiceField(label="Hình thức", choices=DossierKind.choices)

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class EvidenceForm(forms.Form):
    title = forms.CharField(label="Tên tài liệu", max_length=255, required=False)
    file = forms.FileField(label="Tệp (PDF, ảnh, Word, Excel; tối đa 10 MB)", required=False)
    url = forms.URLField(label="hoặc đường dẫn", required=False, assume_scheme="https")
    valid_until = forms.DateField(
        label="Hiệu lực đến (nếu có)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReturnForm(forms.Form):
    requests = forms.CharField(
        label="Yêu cầu bổ sung",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một yêu cầu; bắt đầu bằng mã tiêu chí để gắn vào tiêu chí, ví dụ "
        "“A3.e: Bổ sung giấy chứng nhận đăng ký nhãn hiệu”.",
    )

    def clean_requests(self) -> list[tuple[str, str]]:
        """(criterion code or "", message) per line."""
        out = []
        for line in self.cleaned_data["requests"].splitlines():
            code, sep, message = line.partition(":")
            if sep and code.strip() and " " not in code.strip() and len(code.strip()) <= 20:
                out.append((code.strip(), message.strip()))
            elif line.strip():
                out.append(("", line.strip()))
        return out


class SubmitReviewForm(forms.Form):
    """The review step of a producer's submission: with criteria unanswered, an explicit "submit anyway"."""

    accept_missing = forms.BooleanField(required=False)

    def __init__(self, *args, missing: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if not missing:
            del self.fields["accept_missing"]
            return
        field = self.fields["accept_missing"]
        field.required = True
        field.label = f"Tôi biết hồ sơ còn {missing} tiêu chí chưa tự chấm và vẫn nộp"
        field.error_messages["required"] = (
            "Hồ sơ còn tiêu chí chưa tự chấm: đánh dấu “vẫn nộp” hoặc quay lại chấm tiếp."
        )


class NoteForm(forms.Form):
    note = forms.CharField(label="Ý kiến", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["note"].label = label


class CouncilForm(forms.Form):
    name = forms.CharField(label="Tên hội đồng", max_length=255)
    level = forms.ChoiceField(label="Cấp", choices=CouncilLevel.choices, initial=CouncilLevel.PROVINCE)
    year = forms.IntegerField(label="Năm", min_value=2019, max_value=2100)
    round_number = forms.IntegerField(label="Đợt", min_value=1, max_value=12, initial=1)
    rules = forms.CharField(
        label="Quy chế hoạt động",
        max_length=255,
        required=False,
        help_text="Văn bản ban hành quy chế của hội đồng, ví dụ “Quyết định 739/QĐ-UBND ngày 17/05/2023”.",
    )
    quorum_percent = forms.IntegerField(
        label="Số thành viên dự họp tối thiểu (%)",
        min_value=1,
        max_value=100,
        initial=75,
        help_text="Theo quy chế; mặc định 75% (3/4) số thành viên.",
    )
    chair_required = forms.BooleanField(
        label="Phải có Chủ tịch hội đồng dự họp", required=False, initial=True
    )

    def __init__(self, *args, levels: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if levels is not None:
            self.fields["level"].choices = [(v, label) for v, label in CouncilLevel.choices if v in levels]
            if levels:
                self.fields["level"].initial = levels[0]


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label="Thành viên", queryset=None)
    role = forms.ChoiceField(label="Vai trò", choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ocop.accounts.models import User

        self.fields["user"].queryset = User.objects.filter(is_active=True, role=Role.COUNCIL_MEMBER).order_by(
            "username"
        )


class SessionForm(forms.Form):
    date = forms.DateField(label="Ngày họp", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)


class AssignForm(forms.Form):
    session = forms.ModelChoiceField(label="Phiên họp hội đồng", queryset=None)

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class DecisionForm(forms.Form):
    number = forms.CharField(label="Số quyết định", max_length=60)
    date = forms.DateField(label="Ngày quyết định", widget=forms.DateInput(attrs={"type": "date"}))
    signer = forms.CharField(label="Người ký", max_length=150, required=False)


class AttendanceForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="Thành viên dự họp",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Đánh dấu thành viên có mặt; kết quả chỉ được tính khi đủ số thành viên theo quy chế.",
    )

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import SCORING_ROLES

        self.fields["members"].queryset = council.members.filter(role__in=SCORING_ROLES).select_related(
            "user"
        )
        self.fields["members"].label_from_instance = lambda m: f"{m.user} — {m.get_role_display()}"


class ForwardForm(forms.Form):
    number = forms.CharField(label="Số công văn đề nghị", max_length=60)
    date = forms.DateField(label="Ngày công văn", widget=forms.DateInput(attrs={"type": "date"}))
    signer = forms.CharField(label="Người ký công văn", max_length=150, required=False)


class ReturnDownForm(forms.Form):
    note = forms.CharField(label="Ý kiến khi trả về", widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label="Ngày trả về", widget=forms.DateInput(attrs={"type": "date"}))
