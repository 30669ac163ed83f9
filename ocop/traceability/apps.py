from django.apps import AppConfig


class TraceabilityConfig(AppConfig):
    name = "ocop.traceability"
    label = "traceability"
    verbose_name = "Truy xuất nguồn gốc và tem điện tử"
