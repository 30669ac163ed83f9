from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ocop.portal"
    label = "portal"
    verbose_name = "Cổng thông tin Kết nối OCOP"

    def ready(self) -> None:
        from ocop.core.signals import products_changed

        from .cache import connect_signals
        from .services.listing import on_products_changed

        products_changed.connect(on_products_changed, dispatch_uid="portal-listing-products-changed")
        connect_signals()  # public page cache: product/entity/image/feedback writes bump the portal version
