from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "ocop.support"
    label = "support"
    verbose_name = "Hỗ trợ chương trình và xúc tiến thương mại"
