from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ocop.core.models import ScopedModel

from .choices import CertificateStatus, EventKind, IssuingLevel


class RecognitionEvent(ScopedModel):
    """One line of an official decision. A product's history is its events; its star follows from them."""

    scope_commune_path = "product__commune"
    scope_entity_path = "product__entity"

    # product leads the unique line constraint, decision_date leads event_date_kind_idx: no own index.
    product = models.ForeignKey(
        "products.Product",
        verbose_name="Sản phẩm",
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
    )
    kind = models.CharField("Hình thức", max_length=10, choices=EventKind.choices)
    stars = models.PositiveSmallIntegerField(
        "Hạng sao", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    score = models.DecimalField("Điểm", max_digits=5, decimal_places=2, null=True, blank=True)
    decision_number = models.CharField("Số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("Ngày quyết định")
    issuing_level = models.CharField("Cấp công nhận", max_length=10, choices=IssuingLevel.choices, blank=True)
    source = models.CharField(
        "Nguồn",
        max_length=200,
        blank=True,
        help_text="Tệp nhập (tên và dòng), hội đồng đánh giá, hoặc nhập tay.",
    )
    reason = models.TextField(
        "Lý do", blank=True, help_text="Lý do thu hồi (bắt buộc với quyết định thu hồi)."
    )
    signer = models.CharField("Người ký", max_length=150, blank=True)

    class Meta:
        verbose_name = "Sự kiện công nhận"
        verbose_name_plural = "Sự kiện công nhận"
        ordering = ["product", "decision_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "kind", "decision_date", "decision_number"],
                name="event_unique_line",
                violation_error_message="Sự kiện này (cùng sản phẩm, hình thức, ngày, số quyết định) đã có.",
            ),
        ]
        indexes = [models.Index(fields=["decision_date", "kind"], name="event_date_kind_idx")]

    def __str__(self) -> str:
        stars = f" {self.stars}★" if self.stars else ""
        number = self.decision_number or "không số"
        return f"{self.get_kind_display()}{stars} — {number} ({self.decision_date:%d/%m/%Y})"


class Certificate(ScopedModel):
    """Giấy chứng nhận for a 3–5★ recognition, valid 36 months (see validity.py)."""

    scope_commune_path = "product__commune"
    scope_entity_path = "product__entity"

    event = models.OneToOneField(RecognitionEvent, on_delete=models.CASCADE, related_name="certificate")
    product = models.ForeignKey("products.Product", on_delete=models.CASCADE, related_name="certificates")
    stars = models.PositiveSmallIntegerField("Hạng sao")
    number = models.CharField("Số giấy chứng nhận", max_length=80, blank=True)
    valid_from = models.DateField("Hiệu lực từ")
    valid_to = models.DateField("Hiệu lực đến (hết ngày)", db_index=True)
    ended_on = models.DateField(
        "Chấm dứt từ",
        null=True,
        blank=True,
        help_text="Ngày bị thu hồi hoặc được thay bằng giấy chứng nhận mới.",
    )
    end_reason = models.CharField(
        "Lý do chấm dứt",
        max_length=12,
        blank=True,
        choices=[(CertificateStatus.REVOKED, "Thu hồi"), (CertificateStatus.SUPERSEDED, "Thay thế")],
    )
    reminded_on = models.DateField("Đã nhắc hết hạn ngày", null=True, blank=True)

    class Meta:
        verbose_name = "Giấy chứng nhận"
        verbose_name_plural = "Giấy chứng nhận"
        ordering = ["valid_to", "id"]

    def __str__(self) -> str:
        return f"GCN {self.number or self.event.decision_number} — {self.product}"

    def status_on(self, day: dt.date) -> str:
        if self.ended_on and self.ended_on <= day:
            return self.end_reason or CertificateStatus.EXPIRED
        if self.valid_from <= day <= self.valid_to:
            return CertificateStatus.IN_FORCE
        return CertificateStatus.EXPIRED


class ExpiryNotice(ScopedModel):
    """A reminder that a certificate ends within 30 days, shown on screen and sent by e-mail."""

    scope_commune_path = "certificate__product__commune"
    scope_entity_path = "certificate__product__entity"

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="notices")
    notice_date = models.DateField("Ngày nhắc")
    message = models.TextField("Nội dung")
    emailed_to = models.JSONField("Đã gửi thư tới", default=list, blank=True)
    read_by = models.JSONField("Đã xem (id người dùng)", default=list, blank=True)

    class Meta:
        verbose_name = "Thông báo sắp hết hạn"
        verbose_name_plural = "Thông báo sắp hết hạn"
        ordering = ["-notice_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["certificate"], name="one_notice_per_certificate")]

    def __str__(self) -> str:
        return self.message[:80]
