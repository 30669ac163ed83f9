from __future__ import annotations

from django.db import models

from ocop.core.text import fold

from .choices import Generation, Level

__all__ = ["AdminUnit", "Generation", "Level", "UnitSuccession"]


class AdminUnit(models.Model):
    generation = models.CharField("Thế hệ", max_length=4, choices=Generation.choices)
    level = models.CharField("Cấp", max_length=10, choices=Level.choices)
    code = models.CharField("Mã GSO", max_length=10)
    name = models.CharField("Tên đầy đủ", max_length=120)
    short_name = models.CharField("Tên ngắn", max_length=100)
    type_name = models.CharField("Loại đơn vị", max_length=30, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="Đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        "self",
        verbose_name="Tỉnh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # For a legacy commune: its default successor (official mapping); for a 2025 commune: itself.
    successor = models.ForeignKey(
        "self",
        verbose_name="Đơn vị kế thừa (từ 01/07/2025)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    latitude = models.FloatField("Vĩ độ", null=True, blank=True)
    longitude = models.FloatField("Kinh độ", null=True, blank=True)
    search_key = models.CharField("Khoá tìm kiếm", max_length=120, db_index=True, editable=False)
    match_key = models.CharField("Khoá so khớp", max_length=120, db_index=True, editable=False)

    class Meta:
        verbose_name = "Đơn vị hành chính"
        verbose_name_plural = "Đơn vị hành chính"
        ordering = ["generation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "level", "code"], name="adminunit_unique_code"),
        ]
        indexes = [models.Index(fields=["generation", "level", "match_key"], name="adminunit_match_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_key = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_legacy(self) -> bool:
        return self.generation == Generation.LEGACY

    def full_name(self) -> str:
        """ "Xã Bằng Thành, Huyện Pác Nặm, Tỉnh Bắc Kạn"."""
        parts = [self.name]
        unit = self.parent
        while unit is not None:
            parts.append(unit.name)
            unit = unit.parent
        return ", ".join(parts)


class UnitSuccession(models.Model):
    """Official old→new mapping of communes (01/07/2025). One old commune may be split among several."""

    old_unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successions")
    new_unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="precursions")
    is_default = models.BooleanField("Kế thừa mặc định", default=True)

    class Meta:
        verbose_name = "Sáp nhập đơn vị"
        verbose_name_plural = "Sáp nhập đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="unitsuccession_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.old_unit} → {self.new_unit}"
