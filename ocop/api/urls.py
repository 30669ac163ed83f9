"""The one NinjaAPI instance; each domain app contributes a router from its own api.py.

Every non-public router is mounted with ``AUTH`` (bearer token or session, ``ocop.api.common``); errors are
answered as ``{"detail", "code"}`` by the handlers below.
"""

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ocop.certification.api import certificates_router, recognitions_router
from ocop.evaluation.api import router as evaluation_router
from ocop.funding.api import router as funding_router
from ocop.imports.api import router as imports_router
from ocop.inspections.api import router as inspections_router
from ocop.portal.api import router as portal_router
from ocop.producers.api import router as producers_router
from ocop.products.api import router as products_router
from ocop.support.api import router as support_router
from ocop.targets.api import router as stats_router
from ocop.traceability.api import batches_router
from ocop.traceability.api import router as stamps_router

from .common import AUTH


class LocalSwagger(Swagger):
    """The docs page from ninja's local template and static files (config.settings.base.NINJA_DIR): ninja
    only renders them when "ninja" is an installed app, and otherwise falls back to a CDN, which the CSP
    blocks."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": False}
        return render(request, self.template, context)


api = NinjaAPI(
    docs=LocalSwagger(),
    title="OCOP API",
    version="1",
    description=(
        "API của hệ thống quản lý OCOP. Xác thực bằng mã truy cập (tiêu đề `Authorization: Bearer ocop_…`, "
        "tạo ở trang Bảo mật tài khoản) hoặc phiên đăng nhập. Dữ liệu luôn được giới hạn theo phạm vi của "
        'người dùng. Lỗi có dạng `{"detail": "…", "code": "…"}`.'
    ),
    urls_namespace="api",
)

CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "not_allowed"}
CODES |= {409: "conflict", 422: "invalid", 429: "rate_limited"}


def _error(request, status: int, detail: str, **extra):
    return api.create_response(
        request, {"detail": detail, "code": CODES.get(status, "error"), **extra}, status=status
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "Cần đăng nhập hoặc mã truy cập hợp lệ (Authorization: Bearer ocop_…).")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "Không tìm thấy (hoặc nằm ngoài phạm vi của bạn).")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, str(exc) or "Bạn không có quyền thực hiện thao tác này.")


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return _error(request, 422, "Tham số không hợp lệ.", errors=exc.errors)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, str(exc.message))


api.add_router("/entities", producers_router, auth=AUTH, tags=["Chủ thể"])
api.add_router("/registry/products", products_router, auth=AUTH, tags=["Sản phẩm (quản lý)"])
api.add_router("/recognitions", recognitions_router, auth=AUTH, tags=["Lịch sử công nhận"])
api.add_router("/certificates", certificates_router, auth=AUTH, tags=["Giấy chứng nhận"])
api.add_router("/stats", stats_router, auth=AUTH, tags=["Thống kê"])
api.add_router("/imports", imports_router, auth=AUTH, tags=["Nhập dữ liệu"])
api.add_router("/evaluations", evaluation_router, auth=AUTH, tags=["Đánh giá"])
api.add_router("/support", support_router, auth=AUTH, tags=["Hỗ trợ, xúc tiến"])
api.add_router("/batches", batches_router, auth=AUTH, tags=["Truy xuất nguồn gốc"])
api.add_router("/inspections", inspections_router, auth=AUTH, tags=["Kiểm tra sau công nhận"])
api.add_router("/funding", funding_router, auth=AUTH, tags=["Chính sách, kinh phí hỗ trợ"])
# Public (no login): the portal's products (SPEC §5.4).
api.add_router("/products", portal_router, tags=["Cổng thông tin"])
# Public: stamp verification; every call is a scan (SPEC §5.4).
api.add_router("/stamps", stamps_router, tags=["Tem điện tử"])
