from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "ocop.products"
    label = "products"
    verbose_name = "Sản phẩm"
