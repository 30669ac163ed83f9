from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ocop.ideas"
    label = "ideas"
    verbose_name = "Ý tưởng và phương án kinh doanh"

    def ready(self) -> None:
        from ocop.core.queues import register_queue_source

        from .queues import idea_work

        register_queue_source("ideas", idea_work)
