"""The two generations and three levels of administrative units (plain values: any layer may use them)."""

from django.db import models


class Generation(models.TextChoices):
    """Two generations of Vietnamese administrative units, both kept (SPEC §2)."""

    LEGACY = "2019", "Trước 01/07/2025 (63 tỉnh, 3 cấp)"
    REFORM_2025 = "2025", "Từ 01/07/2025 (34 tỉnh, 2 cấp)"


class Level(models.TextChoices):
    PROVINCE = "province", "Tỉnh/Thành phố"
    DISTRICT = "district", "Huyện/Quận/Thị xã/Thành phố thuộc tỉnh"
    COMMUNE = "commune", "Xã/Phường/Thị trấn/Đặc khu"
