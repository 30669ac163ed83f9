from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ocop.portal"
    label = "portal"
    verbose_name = "Cổng thông tin Kết nối OCOP"
