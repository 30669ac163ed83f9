from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "ocop.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, phân hạng"
