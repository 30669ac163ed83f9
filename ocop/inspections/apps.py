from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "ocop.inspections"
    label = "inspections"
    verbose_name = "Kiểm tra, giám sát sau công nhận"
