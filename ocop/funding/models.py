"""Support policies and the grants paid under them: a province's resolution (e.g. "Nghị quyết số …/NQ-HĐND")
with the items it pays for, each at a rate (at most this share of the cost) and a cap per grant; grants paid
to entities (amount, date, purpose). A policy belongs to a province (who sees it: selectors.policy_list); a
grant reaches its entity's commune (ScopedModel) like every other record.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from ocop.core.models import ScopedModel, TimeStampedModel


class Policy(TimeStampedModel):
    province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Tỉnh",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    number = models.CharField("Số nghị quyết/quyết định", max_length=80)
    title = models.CharField("Trích yếu", max_length=255)
    issued_on = models.DateField("Ngày ban hành")
    valid_from = models.DateField("Hiệu lực từ")
    valid_until = models.DateField("Hiệu lực đến", null=True, blank=True)

    class Meta:
        verbose_name = "Chính sách hỗ trợ"
        verbose_name_plural = "Chính sách hỗ trợ"
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number"],
                name="policy_unique_number",
                violation_error_message="Tỉnh đã có văn bản chính sách mang số này.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("funding:policy_detail", args=[self.pk])

    def in_force_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class PolicyItem(models.Model):
    """One thing a policy pays for, e.g. "Hỗ trợ thiết kế bao bì, nhãn mác: 50 %, tối đa 30 triệu đồng"."""

    policy = models.ForeignKey(
        Policy, verbose_name="Chính sách", on_delete=models.CASCADE, related_name="items"
    )
    content = models.CharField("Nội dung hỗ trợ", max_length=255)
    rate_percent = models.DecimalField(
        "Mức hỗ trợ tối đa (% chi phí)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0.01), MaxValueValidator(100)],
    )
    cap_vnd = models.PositiveBigIntegerField(
        "Mức tối đa mỗi lần hỗ trợ (đồng)", validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = "Nội dung hỗ trợ"
        verbose_name_plural = "Nội dung hỗ trợ"
        ordering = ["policy", "id"]

    def __str__(self) -> str:
        cap = f"{self.cap_vnd:,}".replace(",", ".")
        return f"{self.content} ({self.rate_text} %, tối đa {cap} đ) — {self.policy.number}"

    @property
    def rate_text(self) -> str:
        """The rate as written in Vietnamese: 50, 12,5 (no exponent, no trailing zeros)."""
        text = f"{self.rate_percent:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")


class Grant(ScopedModel):
    scope_commune_path = "entity__commune"
    scope_entity_path = "entity"

    item = models.ForeignKey(
        PolicyItem,
        verbose_name="Nội dung hỗ trợ (theo chính sách)",
        on_delete=models.PROTECT,
        related_name="grants",
    )
    entity = models.ForeignKey(
        "producers.Entity", verbose_name="Chủ thể được hỗ trợ", on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        "products.Product",
        verbose_name="Sản phẩm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cost_vnd = models.PositiveBigIntegerField(
        "Tổng chi phí của nội dung (đồng)", validators=[MinValueValidator(1)]
    )
    amount_vnd = models.PositiveBigIntegerField("Số tiền hỗ trợ (đồng)", validators=[MinValueValidator(1)])
    paid_on = models.DateField("Ngày chi")
    purpose = models.CharField("Mục đích", max_length=255)
    decision = models.CharField("Số quyết định hỗ trợ", max_length=80, blank=True)

    class Meta:
        verbose_name = "Khoản hỗ trợ"
        verbose_name_plural = "Khoản hỗ trợ"
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        amount = f"{self.amount_vnd:,}".replace(",", ".")
        return f"{self.purpose} — {amount} đ" if self.pk else self.purpose

    def get_absolute_url(self) -> str:
        return reverse("funding:grant_detail", args=[self.pk])
