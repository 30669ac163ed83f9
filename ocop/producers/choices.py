from django.db import models


class EntityType(models.TextChoices):
    """Keys are the ones `ocop stats` reports in ``by_entity_type`` (SPEC §5.2)."""

    HTX = "htx", "Hợp tác xã"
    DOANH_NGHIEP = "doanh_nghiep", "Doanh nghiệp"
    TO_HOP_TAC = "to_hop_tac", "Tổ hợp tác"
    HO_KINH_DOANH = "ho_kinh_doanh", "Hộ kinh doanh / cơ sở"


class Gender(models.TextChoices):
    FEMALE = "female", "Nữ"
    MALE = "male", "Nam"
    UNKNOWN = "", "Không rõ"
