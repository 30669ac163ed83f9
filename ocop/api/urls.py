"""The one NinjaAPI instance; each domain app contributes a router from its own api.py."""

from ninja import NinjaAPI
from ninja.security import django_auth

from ocop.evaluation.api import router as evaluation_router
from ocop.imports.api import router as imports_router
from ocop.portal.api import router as portal_router
from ocop.producers.api import router as producers_router
from ocop.targets.api import router as stats_router

api = NinjaAPI(
    title="OCOP API",
    version="1",
    description="API của hệ thống quản lý OCOP. Dữ liệu luôn được giới hạn theo phạm vi của người dùng.",
    urls_namespace="api",
)
api.add_router("/entities", producers_router, auth=django_auth, tags=["Chủ thể"])
api.add_router("/stats", stats_router, auth=django_auth, tags=["Thống kê"])
api.add_router("/imports", imports_router, auth=django_auth, tags=["Nhập dữ liệu"])
api.add_router("/evaluations", evaluation_router, auth=django_auth, tags=["Đánh giá"])
# Public (no login): the portal's products (SPEC §5.4).
api.add_router("/products", portal_router, tags=["Cổng thông tin"])
