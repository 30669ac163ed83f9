"""Inspections after recognition ("tăng cường kiểm tra, giám sát … duy trì chất lượng"): a province's yearly
plan, the products chosen with due dates, and each inspection's findings on a checklist with a verdict and
evidence; a serious breach links to the revocation decision it led to (certification's RecognitionEvent).

A plan belongs to a province (who sees it: selectors.plan_list); each inspection reaches its product's
commune and entity (ScopedModel), so commune and district officers see the inspections of their area and
producers those of their own products.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from ocop.core.models import ScopedModel, TimeStampedModel, private_storage

from .choices import Check, Verdict


class InspectionPlan(TimeStampedModel):
    province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Tỉnh",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    year = models.PositiveSmallIntegerField("Năm")
    title = models.CharField("Tên kế hoạch", max_length=255)
    decision = models.CharField("Số văn bản ban hành kế hoạch", max_length=80, blank=True)
    note = models.TextField("Ghi chú", blank=True)

    class Meta:
        verbose_name = "Kế hoạch kiểm tra"
        verbose_name_plural = "Kế hoạch kiểm tra"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "title"],
                name="inspectionplan_unique_title",
                violation_error_message="Tỉnh đã có kế hoạch kiểm tra cùng tên trong năm này.",
            )
        ]

    def __str__(self) -> str:
        return self.title if str(self.year) in self.title else f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.pk])


def evidence_path(instance: Inspection, filename: str) -> str:
    from pathlib import Path

    return f"inspections/{instance.plan_id}/{Path(filename).name}"


class Inspection(ScopedModel):
    scope_commune_path = "product__commune"
    scope_entity_path = "product__entity"
    PERSONAL_FIELDS = ()

    plan = models.ForeignKey(
        InspectionPlan, verbose_name="Kế hoạch", on_delete=models.PROTECT, related_name="inspections"
    )
    product = models.ForeignKey(
        "products.Product", verbose_name="Sản phẩm", on_delete=models.PROTECT, related_name="inspections"
    )
    due_date = models.DateField("Hạn kiểm tra")
    inspected_on = models.DateField("Ngày kiểm tra", null=True, blank=True)
    inspectors = models.CharField("Đoàn kiểm tra", max_length=255, blank=True)
    raw_materials = models.CharField("Nguyên liệu đầu vào", max_length=5, choices=Check.choices, blank=True)
    food_safety = models.CharField("An toàn thực phẩm", max_length=5, choices=Check.choices, blank=True)
    label_packaging = models.CharField("Nhãn mác, bao bì", max_length=5, choices=Check.choices, blank=True)
    qr_stamps = models.CharField("Mã QR, tem truy xuất", max_length=5, choices=Check.choices, blank=True)
    trademark = models.CharField("Nhãn hiệu, sở hữu trí tuệ", max_length=5, choices=Check.choices, blank=True)
    star_criteria = models.CharField(
        "Tiêu chí xếp hạng sao còn đáp ứng", max_length=5, choices=Check.choices, blank=True
    )
    findings = models.TextField("Nội dung phát hiện", blank=True)
    verdict = models.CharField("Kết luận", max_length=15, choices=Verdict.choices, blank=True)
    fix_by = models.DateField("Hạn khắc phục", null=True, blank=True)
    evidence = models.FileField(
        "Biên bản, hình ảnh (tệp)", upload_to=evidence_path, storage=private_storage, blank=True
    )
    evidence_note = models.CharField("Mô tả minh chứng", max_length=255, blank=True)
    revocation = models.OneToOneField(
        "certification.RecognitionEvent",
        verbose_name="Quyết định thu hồi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "Lượt kiểm tra sau công nhận"
        verbose_name_plural = "Lượt kiểm tra sau công nhận"
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "product"],
                name="inspection_unique_product",
                violation_error_message="Sản phẩm này đã có trong kế hoạch.",
            )
        ]

    def __str__(self) -> str:
        return f"Kiểm tra {self.product} (hạn {self.due_date:%d/%m/%Y})" if self.product_id else "Kiểm tra"

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.inspected_on is not None
