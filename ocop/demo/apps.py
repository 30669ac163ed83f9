from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`ocop demo-data`): the Bắc Kạn lists, one account per role, and the national synthetic data
    set with its history file. Written only through the apps' public functions; no models of its own."""

    name = "ocop.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
