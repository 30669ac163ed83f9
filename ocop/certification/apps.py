from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "ocop.certification"
    label = "certification"
    verbose_name = "Công nhận và chứng nhận"

    def ready(self) -> None:
        from ocop.core.queues import register_queue_source

        from .queues import certification_work

        register_queue_source("certification", certification_work)
