"""Score sheets as stored, versioned data. A row is immutable once loaded: a corrected sheet is a new row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from ocop.evaluation.choices import DEFAULT_VERSION, VERSIONS

if TYPE_CHECKING:
    from ocop.evaluation.criteria import Sheet

LEGAL_VERSION_CHOICES = [
    ("148/2023", "Quyết định 148/QĐ-TTg (2023)"),
    ("1048/2019", "Quyết định 1048/QĐ-TTg (2019)"),
]
assert {code for code, _ in LEGAL_VERSION_CHOICES} == set(VERSIONS)


class CriteriaVersion(models.Model):
    """One loaded score sheet of one product set under one legal version. Evaluations point here, so the
    sheet they were scored on never changes; loading a corrected CSV adds a new revision and activates it."""

    legal_version = models.CharField(
        "Văn bản", max_length=12, choices=LEGAL_VERSION_CHOICES, default=DEFAULT_VERSION
    )
    set_number = models.PositiveSmallIntegerField("Bộ sản phẩm số")
    revision = models.PositiveSmallIntegerField("Lần nạp", default=1)
    checksum = models.CharField("SHA-256 của tệp nguồn", max_length=64)
    source_name = models.CharField("Tệp nguồn", max_length=200)
    source_text = models.TextField("Nội dung tệp nguồn", editable=False)
    content = models.JSONField("Phiếu đánh giá (đã phân tích)", editable=False)
    needs_review = models.BooleanField("Cần rà soát", default=False)
    warnings = models.TextField("Cảnh báo", blank=True)
    is_active = models.BooleanField("Đang áp dụng", default=True)
    loaded_at = models.DateTimeField("Nạp lúc", auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người nạp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "Phiên bản bộ tiêu chí"
        verbose_name_plural = "Phiên bản bộ tiêu chí"
        ordering = ["legal_version", "set_number", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["legal_version", "set_number", "revision"], name="criteriaversion_unique_revision"
            ),
            models.UniqueConstraint(
                fields=["legal_version", "set_number", "checksum"], name="criteriaversion_unique_checksum"
            ),
            models.UniqueConstraint(
                fields=["legal_version", "set_number"],
                condition=models.Q(is_active=True),
                name="criteriaversion_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"Bộ {self.set_number} · {self.legal_version} · lần {self.revision}"

    @property
    def sheet(self) -> Sheet:
        """The parsed sheet (cached per process; the stored content never changes)."""
        key = (self.pk, self.checksum)
        sheet = _SHEETS.get(key)
        if sheet is None:
            from ocop.evaluation.criteria.serialize import sheet_from_data  # the parser: only when needed

            sheet = _SHEETS[key] = sheet_from_data(self.content)
        return sheet

    @property
    def warning_lines(self) -> list[str]:
        return [line for line in self.warnings.splitlines() if line.strip()]


_SHEETS: dict[tuple[int, str], Sheet] = {}
