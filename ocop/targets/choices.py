from django.db import models


class Metric(models.TextChoices):
    """Target metrics (keys as `ocop targets set --metric` takes them): the five of SPEC §3, the upgrade
    steps, and the support work of the provincial plans (issue 22)."""

    RECOGNIZED_TOTAL = "recognized_total", "Tổng số sản phẩm OCOP (3–5 sao)"
    FIVE_STAR_TOTAL = "five_star_total", "Số sản phẩm 5 sao"
    FOUR_STAR_PLUS_TOTAL = "four_star_plus_total", "Số sản phẩm từ 4 sao trở lên"
    NEW_IN_PERIOD = "new_in_period", "Số sản phẩm công nhận mới trong kỳ"
    UPGRADED_IN_PERIOD = "upgraded_in_period", "Số lượt nâng hạng trong kỳ"
    UPGRADED_TO_4_IN_PERIOD = "upgraded_to_4_in_period", "Số lượt nâng hạng 3 → 4 sao trong kỳ"
    UPGRADED_TO_5_IN_PERIOD = "upgraded_to_5_in_period", "Số lượt nâng hạng lên 5 sao trong kỳ"
    TRAINEES_IN_PERIOD = "trainees_in_period", "Số người được tập huấn trong kỳ"
    PRODUCTS_ON_ECOMMERCE = "products_on_ecommerce", "Số sản phẩm trên sàn thương mại điện tử"
    POINTS_OF_SALE = "points_of_sale", "Số điểm giới thiệu và bán sản phẩm OCOP"
    PRODUCTS_WITH_STAMPS = "products_with_stamps", "Số sản phẩm OCOP có tem điện tử"


# Metrics counted from the recognition history (UnitHistory); the others from support and stamp records.
HISTORY_METRICS = frozenset(
    {
        Metric.RECOGNIZED_TOTAL,
        Metric.FIVE_STAR_TOTAL,
        Metric.FOUR_STAR_PLUS_TOTAL,
        Metric.NEW_IN_PERIOD,
        Metric.UPGRADED_IN_PERIOD,
        Metric.UPGRADED_TO_4_IN_PERIOD,
        Metric.UPGRADED_TO_5_IN_PERIOD,
    }
)
# Metrics that count what happened between the target's start and the day asked; the others are a state
# on that day.
PERIOD_METRICS = frozenset(
    {
        Metric.NEW_IN_PERIOD,
        Metric.UPGRADED_IN_PERIOD,
        Metric.UPGRADED_TO_4_IN_PERIOD,
        Metric.UPGRADED_TO_5_IN_PERIOD,
        Metric.TRAINEES_IN_PERIOD,
    }
)
