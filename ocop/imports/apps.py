from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ocop.imports"
    label = "imports"
    verbose_name = "Nhập dữ liệu"
