"""Councils, their sessions, the evaluation of a dossier by a session, and each member's score sheet."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ocop.core.models import ScopedModel

from ..choices import CouncilLevel, EvaluationStatus, MemberRole


class Council(models.Model):
    """Hội đồng đánh giá, phân hạng of one level and round (đợt) of a year, set up by the unit's committee."""

    level = models.CharField("Cấp", max_length=10, choices=CouncilLevel.choices)
    unit = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("Năm")
    round_number = models.PositiveSmallIntegerField("Đợt", default=1)
    name = models.CharField("Tên hội đồng", max_length=255)
    # The quorum of its rules (quy chế hoạt động); by default 3/4 of the members, the chair included, as in
    # provincial rules such as Tây Ninh's.
    rules = models.CharField(
        "Quy chế hoạt động",
        max_length=255,
        blank=True,
        help_text="Văn bản ban hành quy chế, ví dụ “Quyết định 739/QĐ-UBND ngày 17/05/2023”.",
    )
    quorum_percent = models.PositiveSmallIntegerField(
        "Số thành viên dự họp tối thiểu (% tổng số thành viên)",
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    chair_required = models.BooleanField("Phải có Chủ tịch hội đồng dự họp", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Hội đồng đánh giá"
        verbose_name_plural = "Hội đồng đánh giá"
        ordering = ["-year", "-round_number", "id"]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người dùng",
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    role = models.CharField("Vai trò", max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        verbose_name = "Thành viên hội đồng"
        verbose_name_plural = "Thành viên hội đồng"
        ordering = ["council", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="councilmember_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Session(models.Model):
    """Phiên họp of a council on a date; the flow in force (district or two-level) follows this date."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField("Ngày họp")
    place = models.CharField("Địa điểm", max_length=255, blank=True)
    attendees = models.ManyToManyField(
        CouncilMember, verbose_name="Thành viên dự họp", blank=True, related_name="attended_sessions"
    )
    attendance_recorded_at = models.DateTimeField("Ghi danh sách dự họp lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Phiên họp hội đồng"
        verbose_name_plural = "Phiên họp hội đồng"
        ordering = ["council", "date", "id"]

    def __str__(self) -> str:
        return f"{self.council} · {self.date:%d/%m/%Y}"


class Evaluation(ScopedModel):
    """A dossier evaluated by a council session; the result is kept as computed from the members' sheets."""

    scope_commune_path = "dossier__commune"
    scope_entity_path = "dossier__entity"
    scope_council_path = "session__council"
    scope_ministry_path = "dossier__at_ministry"

    dossier = models.ForeignKey(
        "evaluation.Dossier", verbose_name="Hồ sơ", on_delete=models.PROTECT, related_name="evaluations"
    )
    session = models.ForeignKey(
        Session, verbose_name="Phiên họp", on_delete=models.PROTECT, related_name="evaluations"
    )
    status = models.CharField(
        "Trạng thái", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.SCORING
    )
    average = models.DecimalField("Điểm trung bình", max_digits=5, decimal_places=2, null=True, blank=True)
    parts = models.JSONField("Điểm theo phần", default=dict, blank=True)
    band_stars = models.PositiveSmallIntegerField("Hạng theo khung điểm", null=True, blank=True)
    stars = models.PositiveSmallIntegerField("Hạng sao", null=True, blank=True)
    held_back_by = models.JSONField("Tiêu chí bắt buộc chưa đạt", default=list, blank=True)
    explanation = models.TextField("Giải thích kết quả", blank=True)
    spread_blocked = models.BooleanField("Chênh lệch ≥ 10 điểm", default=False)
    chair_explanation = models.TextField("Giải trình của chủ tịch hội đồng", blank=True)
    knocked_out = models.JSONField("Điểm liệt", default=list, blank=True)
    decision_number = models.CharField("Số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("Ngày quyết định", null=True, blank=True)
    decision_signer = models.CharField("Người ký", max_length=150, blank=True)
    # Proposed to the level above with a letter (công văn đề nghị); the level above may send it back.
    forwarded_to = models.CharField("Đề nghị lên cấp", max_length=10, blank=True)
    forward_number = models.CharField("Số công văn đề nghị", max_length=60, blank=True)
    forward_date = models.DateField("Ngày công văn đề nghị", null=True, blank=True)
    forward_signer = models.CharField("Người ký công văn", max_length=150, blank=True)
    returned_on = models.DateField("Cấp trên trả lại ngày", null=True, blank=True)
    return_note = models.TextField("Ý kiến của cấp trên khi trả lại", blank=True)
    event = models.ForeignKey(
        "certification.RecognitionEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "Lượt đánh giá"
        verbose_name_plural = "Lượt đánh giá"
        ordering = ["-session__date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "session"], name="evaluation_unique_session")
        ]

    def __str__(self) -> str:
        return f"{self.dossier.product} · {self.session}"


class ScoreSheet(models.Model):
    """One member's choices (criterion code → option number), saved as they are entered."""

    scope_commune_path = "evaluation__dossier__commune"  # files its audit rows under the dossier's commune

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="sheets")
    choices = models.JSONField("Lựa chọn", default=dict, blank=True)
    total = models.PositiveSmallIntegerField("Tổng điểm", default=0)
    parts = models.JSONField("Điểm theo phần", default=dict, blank=True)
    submitted_at = models.DateTimeField("Nộp phiếu lúc", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Phiếu chấm"
        verbose_name_plural = "Phiếu chấm"
        ordering = ["evaluation", "member"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="scoresheet_unique_member")
        ]

    def __str__(self) -> str:
        return f"Phiếu chấm của {self.member.user} · {self.total} điểm"
