"""The one NinjaAPI instance; each domain app contributes a router from its own api.py.

Every non-public router is mounted with ``AUTH`` (bearer token or session, ``ocop.accounts.api_auth``);
errors are answered as ``{"detail", "code"}`` by the handlers below.
"""

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ocop.accounts.api_auth import AUTH
from ocop.certification.api import certificates_router, recognitions_router
from ocop.core.api import ApiError
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

from .middleware import error_code


class LocalSwagger(Swagger):
    """The docs page from ninja's local template and static files (config.settings.base.NINJA_DIR): ninja
    only renders them when "ninja" is an installed app, and otherwise falls back to a CDN, which the CSP
    blocks."""

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api, "add_csrf": False}
        return render(request, self.template, context)


ERROR_STATUSES = {"400": "Yêu cầu sai", "404": "Không tìm thấy", "422": "Tham số không hợp lệ"}
ERROR_STATUSES |= {"414": "Địa chỉ quá dài", "429": "Quá nhiều yêu cầu (kèm Retry-After)"}
SECURED_ERRORS = {"401": "Chưa xác thực", "403": "Không có quyền"}


class OcopApi(NinjaAPI):
    """The schema documents every error an operation can answer (``{"detail", "code"}``, ApiError): the
    common ones on every operation, 401/403 on those that need authentication; an operation's own error
    schemas are replaced by ApiError, which is what the client gets (``ocop.api.middleware``)."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ApiError.json_schema()
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                # ninja keys the declared responses by int; JSON turns every key into a string anyway
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                wanted = dict(ERROR_STATUSES)
                if operation.get("security"):
                    wanted |= SECURED_ERRORS
                for status, description in wanted.items():
                    responses.setdefault(status, {"description": description})
                for status, answer in responses.items():
                    if status.isdigit() and int(status) >= 400:
                        answer["content"] = error
                operation["responses"] = dict(sorted(responses.items()))
        return schema


api = OcopApi(
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


def _error(request, status: int, detail: str, **extra):
    return api.create_response(
        request, {"detail": detail, "code": error_code(status), **extra}, status=status
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


PARAMETER_LABELS = {
    "ordering": "sắp xếp (ordering)",
    "status": "trạng thái (status)",
    "group": "nhóm sản phẩm (group)",
    "kind": "loại (kind)",
    "entity_type": "loại hình chủ thể (entity_type)",
    "as_of": "ngày (as_of, YYYY-MM-DD)",
    "page": "trang (page)",
    "page_size": "cỡ trang (page_size)",
}
PROBLEMS = {
    "int_parsing": "phải là số nguyên",
    "float_parsing": "phải là một số",
    "bool_parsing": "phải là true/false hoặc 1/0",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD",
    "missing": "là bắt buộc",
}


def _problem(error: dict) -> str:
    """One pydantic error in Vietnamese: which parameter, and what it accepts."""
    name = str(error.get("loc", ["?"])[-1])
    label = PARAMETER_LABELS.get(name, name)
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "literal_error":
        return f"{label} chỉ nhận: {ctx.get('expected', '')}"
    if kind in PROBLEMS:
        return f"{label} {PROBLEMS[kind]}"
    if "ge" in ctx or "le" in ctx or "gt" in ctx or "lt" in ctx:
        bounds = ", ".join(f"{k} {v}" for k, v in ctx.items())
        return f"{label} nằm ngoài giới hạn ({bounds})"
    if "max_length" in ctx:
        return f"{label} dài quá {ctx['max_length']} ký tự"
    return f"{label} không hợp lệ"


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    detail = "Tham số không hợp lệ: " + "; ".join(_problem(e) for e in exc.errors[:5]) + "."
    return _error(request, 422, detail, errors=exc.errors)


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
