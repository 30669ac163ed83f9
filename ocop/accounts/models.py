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


class TotpDevice(models.Model):
    """The user's authenticator app (RFC 6238 TOTP, 30 s, 6 digits). One per user.

    The secret must be readable to check codes, so it is stored as is (like the session key); the database and
    its backups are the protection (docs/security.md). ``last_step`` refuses a code used twice.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField("Khoá bí mật", max_length=64)
    confirmed_at = models.DateTimeField("Xác nhận lúc", null=True, blank=True)
    last_step = models.BigIntegerField("Bước thời gian dùng gần nhất", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Thiết bị xác thực hai bước"
        verbose_name_plural = "Thiết bị xác thực hai bước"

    def __str__(self) -> str:
        return f"TOTP của {self.user}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """One-time codes for a lost phone; only their SHA-256 is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Mã khôi phục"
        verbose_name_plural = "Mã khôi phục"

    def __str__(self) -> str:
        return f"Mã khôi phục của {self.user}"


class ApiToken(models.Model):
    """A bearer token for integrations. It acts as its user: same role, unit and scope.

    The secret is shown once; only ``prefix`` (to find the row) and the SHA-256 of the whole token are stored.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("Tên (dùng cho việc gì)", max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    last_used_at = models.DateTimeField("Dùng gần nhất", null=True, blank=True)
    expires_at = models.DateTimeField("Hết hạn", null=True, blank=True)
    revoked_at = models.DateTimeField("Thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Mã truy cập API"
        verbose_name_plural = "Mã truy cập API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} (ocop_{self.prefix}…)"

    def is_active(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
