from django.db import models


class EventKind(models.TextChoices):
    """`Hình thức` of an official decision line (SPEC §5.3); keys are the `by_year` keys of SPEC §5.2."""

    NEW = "new", "Công nhận mới"
    UPGRADE = "upgraded", "Nâng hạng"
    RENEWAL = "renewed", "Công nhận lại"
    REVOCATION = "revoked", "Thu hồi"


class IssuingLevel(models.TextChoices):
    DISTRICT = "district", "UBND cấp huyện"
    PROVINCE = "province", "UBND cấp tỉnh"
    MINISTRY = "ministry", "Trung ương"
    UNKNOWN = "", "Không rõ"


class CertificateStatus(models.TextChoices):
    IN_FORCE = "in_force", "Còn hiệu lực"
    EXPIRED = "expired", "Hết hiệu lực"
    REVOKED = "revoked", "Đã thu hồi"
    SUPERSEDED = "superseded", "Đã thay thế"
