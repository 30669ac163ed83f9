from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from ocop.core.models import TimeStampedModel

from .choices import Metric


class Target(TimeStampedModel):
    """A plan figure of a province for a period (e.g. 2021–2025: ≥ 200 products of 3★ or more) — or of one
    of its communes, or (history, until 30/06/2025) districts ("4–5 sản phẩm mỗi huyện"): ``unit``.

    One row per unit (the province when ``unit`` is empty) + metric + period: setting it again replaces the
    value (services.target_set).
    """

    province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Tỉnh/Thành phố",
        on_delete=models.PROTECT,
        related_name="targets",
        limit_choices_to={"level": "province"},
    )
    unit = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Huyện/xã (bỏ trống: cả tỉnh)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_targets",
        limit_choices_to={"level__in": ("district", "commune")},
    )
    metric = models.CharField("Chỉ tiêu", max_length=30, choices=Metric.choices)
    value = models.PositiveIntegerField("Giá trị kế hoạch", validators=[MinValueValidator(1)])
    start = models.DateField("Từ ngày")
    deadline = models.DateField("Đến ngày")

    class Meta:
        verbose_name = "Chỉ tiêu kế hoạch"
        verbose_name_plural = "Chỉ tiêu kế hoạch"
        ordering = ["province", "start", "deadline", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "metric", "start", "deadline"],
                condition=models.Q(unit__isnull=True),
                name="target_unique_period",
                violation_error_message="Chỉ tiêu này của tỉnh trong kỳ này đã có.",
            ),
            models.UniqueConstraint(
                fields=["unit", "metric", "start", "deadline"],
                condition=models.Q(unit__isnull=False),
                name="target_unique_unit_period",
                violation_error_message="Chỉ tiêu này của đơn vị trong kỳ này đã có.",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("start")),
                name="target_deadline_after_start",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1),
                name="target_value_positive",
                violation_error_message="Giá trị kế hoạch phải là số dương.",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.start:%d/%m/%Y}–{self.deadline:%d/%m/%Y}"
        return f"{self.place.short_name}: {self.get_metric_display()} {self.value} ({period})"

    @property
    def place(self):
        """The unit the figure is for: the commune or district, else the province."""
        return self.unit if self.unit_id else self.province

    def clean(self) -> None:
        super().clean()
        if self.province_id and self.province.level != "province":
            raise ValidationError({"province": "Chỉ tiêu chỉ đặt cho cấp tỉnh."})
        if self.start and self.deadline and self.deadline < self.start:
            raise ValidationError({"deadline": "Ngày kết thúc phải sau ngày bắt đầu."})
