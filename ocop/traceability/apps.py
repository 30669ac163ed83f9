from django.apps import AppConfig


class TraceabilityConfig(AppConfig):
    name = "ocop.traceability"
    label = "traceability"
    verbose_name = "Truy xuất nguồn gốc và tem điện tử"

    def ready(self) -> None:
        from ocop.core.queues import register_queue_source

        from .queues import traceability_work

        register_queue_source("traceability", traceability_work)
