from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from .roles import OFFICER_ROLES, UNIT_LEVEL_OF_ROLE, Role, role_can, sees_personal_data


class User(AbstractUser):
    """A person using the system, bound to the unit, entity or council their role works in."""

    full_name = models.CharField("Họ và tên", max_length=150, blank=True)
    role = models.CharField("Vai trò", max_length=20, choices=Role.choices, default=Role.PRODUCER)
    unit = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Đơn vị hành chính",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    entity = models.ForeignKey(
        "producers.Entity",
        verbose_name="Chủ thể",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField("Số điện thoại", max_length=20, blank=True)

    PERSONAL_FIELDS = ("phone", "email", "password")

    class Meta:
        verbose_name = "Người dùng"
        verbose_name_plural = "Người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in OFFICER_ROLES:
            if self.unit is None:
                raise ValidationError({"unit": "Cán bộ phải gắn với một đơn vị hành chính."})
            expected = UNIT_LEVEL_OF_ROLE[self.role]
            if self.unit.level != expected:
                from ocop.geography.models import Level

                raise ValidationError(
                    {"unit": f"Vai trò này phải gắn với đơn vị cấp {Level(expected).label}."}
                )
        if self.role == Role.PRODUCER and self.entity is None:
            raise ValidationError({"entity": "Tài khoản chủ thể phải gắn với một chủ thể OCOP."})

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    def can(self, action: str) -> bool:
        return self.is_admin_role or role_can(self.role, action)

    @property
    def sees_personal_data(self) -> bool:
        return self.is_superuser or sees_personal_data(self.role)

    @property
    def scope_label(self) -> str:
        if self.is_admin_role:
            return "Toàn quốc"
        if self.role == Role.PRODUCER and self.entity_id:
            return str(self.entity)
        if self.unit_id:
            return str(self.unit)
        return ""
