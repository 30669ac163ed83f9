from django.db import models


class Metric(models.TextChoices):
    """Target metrics of SPEC §3 (keys as `ocop targets set --metric` takes them)."""

    RECOGNIZED_TOTAL = "recognized_total", "Tổng số sản phẩm OCOP (3–5 sao)"
    FIVE_STAR_TOTAL = "five_star_total", "Số sản phẩm 5 sao"
    FOUR_STAR_PLUS_TOTAL = "four_star_plus_total", "Số sản phẩm từ 4 sao trở lên"
    NEW_IN_PERIOD = "new_in_period", "Số sản phẩm công nhận mới trong kỳ"
    UPGRADED_IN_PERIOD = "upgraded_in_period", "Số lượt nâng hạng trong kỳ"
