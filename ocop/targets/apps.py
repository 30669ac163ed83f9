from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "ocop.targets"
    label = "targets"
    verbose_name = "Kế hoạch và thống kê"
