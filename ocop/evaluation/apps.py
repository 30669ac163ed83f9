from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "ocop.evaluation"
    label = "evaluation"
    verbose_name = "Đánh giá, phân hạng"

    def ready(self) -> None:
        from ocop.core.queues import register_queue_source

        from .queues import evaluation_work

        register_queue_source("evaluation", evaluation_work)
