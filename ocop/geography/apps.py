from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "ocop.geography"
    label = "geography"
    verbose_name = "Đơn vị hành chính"
