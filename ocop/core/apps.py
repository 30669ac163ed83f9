from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ocop.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from .queues import job_work, register_queue_source

        register_queue_source("core", job_work)
