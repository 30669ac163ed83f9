from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "ocop.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra, giám sát sau công nhận"

    def ready(self) -> None:
        from ocop.core.queues import register_queue_source

        from .queues import inspection_work

        register_queue_source("inspections", inspection_work)
