from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "ocop.funding"
    label = "funding"
    verbose_name = "Chính sách hỗ trợ và kinh phí"
