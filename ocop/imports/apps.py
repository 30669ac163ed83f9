from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ocop.imports"
    label = "imports"
    verbose_name = "Nhập dữ liệu"

    def ready(self) -> None:
        from ocop.core.signals import job_failed

        from .services.jobs import on_job_failed

        job_failed.connect(on_job_failed, dispatch_uid="imports-job-failed")
