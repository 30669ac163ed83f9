from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from ocop.core.models import ScopedModel
from ocop.core.text import fold

from .choices import EntityType, Gender

phone_validator = RegexValidator(
    r"^\+?[0-9 .\-]{8,15}$", "Số điện thoại chỉ gồm chữ số (8–15 ký tự), có thể bắt đầu bằng +."
)
tax_code_validator = RegexValidator(
    r"^[0-9]{10}(-[0-9]{3})?$|^[0-9A-Za-z\-/.]{4,30}$",
    "Mã số thuế/đăng ký gồm 10 chữ số (có thể thêm -XXX) hoặc số đăng ký hộ kinh doanh.",
)
id_number_validator = RegexValidator(r"^[0-9]{9}$|^[0-9]{12}$", "Số CCCD/CMND gồm 12 (hoặc 9) chữ số.")


def entity_keys(*, name: str, tax_code: str = "", address: str = "") -> tuple[str, str]:
    """(name_key, search_key) of an entity — the one definition, used by ``Entity.refresh_keys`` and by the
    bulk writers (import, demo): the folded name, and the folded name, tax code and address."""
    name_key = fold(name)
    return name_key, " ".join(filter(None, [name_key, fold(tax_code), fold(address)]))


class Entity(ScopedModel):
    """Chủ thể OCOP: a cooperative, company, cooperative group or household business."""

    scope_commune_path = "commune"
    scope_entity_path = "pk"

    name = models.CharField("Tên chủ thể", max_length=255)
    entity_type = models.CharField("Loại hình", max_length=20, choices=EntityType.choices)
    tax_code = models.CharField(
        "Mã số thuế / số đăng ký", max_length=30, blank=True, validators=[tax_code_validator]
    )
    commune = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Xã/phường",
        on_delete=models.PROTECT,
        related_name="entities",
        limit_choices_to={"level": "commune"},
        db_index=False,  # leads entity_commune_name_idx
    )
    address = models.CharField("Địa chỉ", max_length=255, blank=True)
    representative = models.CharField("Người đại diện theo pháp luật", max_length=150, blank=True)
    representative_gender = models.CharField(
        "Giới tính người đại diện", max_length=10, choices=Gender.choices, blank=True
    )
    representative_ethnic_minority = models.BooleanField(
        "Người đại diện là người dân tộc thiểu số", default=False
    )
    representative_id_number = models.CharField(
        "Số CCCD người đại diện", max_length=12, blank=True, validators=[id_number_validator]
    )
    phone = models.CharField("Số điện thoại", max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField("Thư điện tử", blank=True)
    website = models.URLField("Trang web", blank=True)
    # Optional English text for the public portal's /en/ pages; the Vietnamese name is shown where empty.
    name_en = models.CharField("Tên tiếng Anh (không bắt buộc)", max_length=255, blank=True)
    description_en = models.TextField("Giới thiệu bằng tiếng Anh (không bắt buộc)", blank=True)
    founded_year = models.PositiveSmallIntegerField("Năm thành lập", null=True, blank=True)
    is_active = models.BooleanField("Đang hoạt động", default=True)
    # Searched with "contains" (LIKE '%w%'), which no B-tree serves.
    search_key = models.CharField(max_length=600, editable=False, default="")
    name_key = models.CharField(max_length=255, db_index=True, editable=False, default="")

    PERSONAL_FIELDS = ("phone", "representative_id_number", "email")

    class Meta:
        verbose_name = "Chủ thể OCOP"
        verbose_name_plural = "Chủ thể OCOP"
        ordering = ["name_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~models.Q(tax_code=""),
                name="entity_unique_tax_code",
                violation_error_message="Mã số thuế/số đăng ký này đã thuộc về một chủ thể khác.",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "name_key"], name="entity_commune_name_idx"),
            # The entity list's type filter, in its name order.
            models.Index(fields=["entity_type", "name_key"], name="entity_type_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("producers:entity_detail", args=[self.pk])

    def refresh_keys(self) -> None:
        self.name_key, self.search_key = entity_keys(
            name=self.name, tax_code=self.tax_code, address=self.address
        )

    def save(self, *args, **kwargs) -> None:
        self.refresh_keys()
        super().save(*args, **kwargs)
