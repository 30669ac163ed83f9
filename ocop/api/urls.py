"""The one NinjaAPI instance; each domain app contributes a router from its own api.py."""

from ninja import NinjaAPI
from ninja.security import django_auth

from ocop.evaluation.api import router as evaluation_router
from ocop.imports.api import router as imports_router
from ocop.portal.api import router as portal_router
from ocop.producers.api import router as producers_router
from ocop.support.api import router as support_router
from ocop.targets.api import router as stats_router
from ocop.traceability.api import batches_router
from ocop.traceability.api import router as stamps_router

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
api.add_router("/support", support_router, auth=django_auth, tags=["Hỗ trợ, xúc tiến"])
api.add_router("/batches", batches_router, auth=django_auth, tags=["Truy xuất nguồn gốc"])
# Public (no login): the portal's products (SPEC §5.4).
api.add_router("/products", portal_router, tags=["Cổng thông tin"])
# Public: stamp verification; every call is a scan (SPEC §5.4).
api.add_router("/stamps", stamps_router, tags=["Tem điện tử"])
