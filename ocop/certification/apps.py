from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "ocop.certification"
    label = "certification"
    verbose_name = "Công nhận và chứng nhận"
