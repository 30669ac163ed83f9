"""The one NinjaAPI instance; each domain app contributes a router from its own api.py."""

from ninja import NinjaAPI
from ninja.security import django_auth

from ocop.producers.api import router as producers_router

api = NinjaAPI(
    title="OCOP API",
    version="1",
    description="API của hệ thống quản lý OCOP. Dữ liệu luôn được giới hạn theo phạm vi của người dùng.",
    urls_namespace="api",
)
api.add_router("/entities", producers_router, auth=django_auth, tags=["Chủ thể"])
