"""Producer side: product ideas, dossiers with self-assessment, evidence library, submissions, requests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models

from ocop.core.models import ScopedModel

from ..choices import DossierKind, DossierStatus, IdeaKind, IdeaStatus


class ProductIdea(ScopedModel):
    """Phiếu đăng ký ý tưởng sản phẩm (annual cycle step 2), reviewed by commune/district officers."""

    scope_commune_path = "commune"
    scope_entity_path = "entity"

    entity = models.ForeignKey(
        "producers.Entity", verbose_name="Chủ thể", on_delete=models.PROTECT, related_name="product_ideas"
    )
    commune = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Xã/phường",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "commune"},
    )
    product_name = models.CharField("Tên sản phẩm", max_length=255)
    product_set = models.ForeignKey(
        "products.ProductSet", verbose_name="Bộ sản phẩm", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("Loại", max_length=10, choices=IdeaKind.choices, default=IdeaKind.NEW)
    year = models.PositiveSmallIntegerField("Năm")
    description = models.TextField("Mô tả ý tưởng")
    status = models.CharField(
        "Trạng thái", max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED
    )
    review_reason = models.TextField("Ý kiến xem xét", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("Xem xét lúc", null=True, blank=True)
    product = models.ForeignKey(
        "products.Product",
        verbose_name="Sản phẩm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Steps 2–3 of the annual cycle as officers record them (ocop/ideas): when the idea was accepted and
    # when its business plan (phương án, kế hoạch kinh doanh — biểu 03) came in.
    accepted_on = models.DateField("Ngày chấp nhận ý tưởng", null=True, blank=True)
    business_plan_on = models.DateField("Ngày nhận phương án kinh doanh", null=True, blank=True)
    business_plan = models.TextField("Phương án, kế hoạch kinh doanh (tóm tắt)", blank=True)

    class Meta:
        verbose_name = "Ý tưởng sản phẩm"
        verbose_name_plural = "Ý tưởng sản phẩm"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.product_name


class Dossier(ScopedModel):
    """Hồ sơ sản phẩm for one evaluation round, scored on the criteria version it was created with."""

    scope_commune_path = "commune"
    scope_entity_path = "entity"
    scope_council_path = "evaluations__session__council"
    scope_ministry_path = "at_ministry"

    product = models.ForeignKey(
        "products.Product", verbose_name="Sản phẩm", on_delete=models.PROTECT, related_name="dossiers"
    )
    entity = models.ForeignKey(
        "producers.Entity", verbose_name="Chủ thể", on_delete=models.PROTECT, related_name="dossiers"
    )
    commune = models.ForeignKey(
        "geography.AdminUnit", verbose_name="Xã/phường", on_delete=models.PROTECT, related_name="+"
    )
    criteria_version = models.ForeignKey(
        "evaluation.CriteriaVersion", verbose_name="Bộ tiêu chí", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("Năm")
    round_number = models.PositiveSmallIntegerField("Đợt", default=1)
    kind = models.CharField("Hình thức", max_length=10, choices=DossierKind.choices, default=DossierKind.NEW)
    status = models.CharField(
        "Trạng thái", max_length=14, choices=DossierStatus.choices, default=DossierStatus.DRAFT, db_index=True
    )
    self_assessment = models.JSONField("Tự đánh giá", default=dict, blank=True)
    note = models.TextField("Thuyết minh", blank=True)
    submitted_at = models.DateTimeField("Nộp lúc", null=True, blank=True)
    pre_assessment_note = models.TextField("Ý kiến đề xuất của xã", blank=True)
    advisory_note = models.TextField("Ý kiến của tổ tư vấn", blank=True)
    # Once proposed to the ministry the dossier stays visible to it (its history, even after a return at 4★).
    at_ministry = models.BooleanField("Đã đề nghị cấp trung ương", default=False, db_index=True)

    class Meta:
        verbose_name = "Hồ sơ sản phẩm"
        verbose_name_plural = "Hồ sơ sản phẩm"
        ordering = ["-year", "-round_number", "-id"]

    def __str__(self) -> str:
        return f"{self.product} · đợt {self.round_number}/{self.year}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluation:dossier_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in {DossierStatus.DRAFT, DossierStatus.RETURNED}


def private_storage() -> FileSystemStorage:
    """Evidence files live outside MEDIA_ROOT (whose /media/ address is public): they are served only by
    the scoped view evaluation:evidence_file. The root follows MEDIA_ROOT (ocop.core.uploads)."""
    from ocop.core.uploads import private_storage as private_root_storage

    return private_root_storage()


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.entity_id}/{dt.date.today():%Y%m}/{Path(filename).name}"


class Evidence(ScopedModel):
    """One document in an entity's evidence library; dossiers link to it per criterion (never copy it)."""

    scope_commune_path = "entity__commune"
    scope_entity_path = "entity"
    scope_council_path = "links__dossier__evaluations__session__council"
    scope_ministry_path = "links__dossier__at_ministry"

    entity = models.ForeignKey(
        "producers.Entity", verbose_name="Chủ thể", on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField("Tên tài liệu", max_length=255)
    file = models.FileField("Tệp", upload_to=evidence_path, storage=private_storage, blank=True)
    url = models.URLField("Đường dẫn", blank=True)
    valid_until = models.DateField("Hiệu lực đến", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "Minh chứng"
        verbose_name_plural = "Minh chứng"
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class CommuneAssessment(ScopedModel):
    """The commune's partial evaluation (two-level flow, Decision 1489): its own criteria of the score sheet
    (origin, local labour, the idea, local identity), scored before it proposes the dossier to the province.
    The council sees it beside the criteria; it does not count in the council's result."""

    scope_commune_path = "dossier__commune"
    scope_entity_path = "dossier__entity"
    scope_council_path = "dossier__evaluations__session__council"
    scope_ministry_path = "dossier__at_ministry"

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="commune_assessment")
    choices = models.JSONField("Lựa chọn", default=dict, blank=True)
    total = models.PositiveSmallIntegerField("Tổng điểm các tiêu chí của xã", default=0)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField("Đề xuất lên tỉnh lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Đánh giá của cấp xã"
        verbose_name_plural = "Đánh giá của cấp xã"

    def __str__(self) -> str:
        return f"Đánh giá của xã · {self.dossier}"


class DossierEvidence(models.Model):
    """Evidence attached to the criterion it proves in one dossier."""

    scope_commune_path = "dossier__commune"  # files its audit rows under the dossier's commune

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="links")
    criterion_code = models.CharField("Tiêu chí", max_length=20)

    class Meta:
        verbose_name = "Minh chứng của hồ sơ"
        verbose_name_plural = "Minh chứng của hồ sơ"
        ordering = ["criterion_code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "evidence", "criterion_code"], name="dossierevidence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_code}: {self.evidence}"


class DossierSubmission(models.Model):
    """What was submitted, each time (the dossier can be supplemented; every version is kept)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField("Lần nộp")
    submitted_at = models.DateTimeField("Nộp lúc", auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField("Nội dung", default=dict)

    class Meta:
        verbose_name = "Lần nộp hồ sơ"
        verbose_name_plural = "Lần nộp hồ sơ"
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="dossiersubmission_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} · lần nộp {self.number}"


class SupplementRequest(models.Model):
    """An officer's request to supplement a returned dossier, on one criterion or on the whole dossier."""

    scope_commune_path = "dossier__commune"

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="requests")
    criterion_code = models.CharField("Tiêu chí", max_length=20, blank=True)
    message = models.TextField("Yêu cầu")
    submission_number = models.PositiveSmallIntegerField("Về lần nộp")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField("Đã bổ sung lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Yêu cầu bổ sung"
        verbose_name_plural = "Yêu cầu bổ sung"
        ordering = ["dossier", "criterion_code", "id"]

    def __str__(self) -> str:
        return f"{self.criterion_code or 'Hồ sơ'}: {self.message[:80]}"

    @property
    def dom(self) -> str:
        return "c-" + self.criterion_code.replace(".", "-")
