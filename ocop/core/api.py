"""What every app's API router shares: list parameters, ordering, pagination and the error object.

* ``ListParams`` + ``paginate`` — ``page`` (from 1), ``page_size`` (1–100) and ``ordering`` (a field name from
  the endpoint's whitelist, ``-`` for descending); the answer is ``{"count", "page", "page_size", "items"}``.
* Errors are always ``{"detail": "<Vietnamese message>", "code": "<machine code>"}`` (422 adds ``errors``);
  ``ocop/api/urls.py`` answers them. Authentication (``AUTH``) lives in ``ocop.accounts.api_auth``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.errors import HttpError

MAX_PAGE_SIZE = 100


class ApiError(Schema):
    detail: str
    code: str


class ListParams(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Trang, bắt đầu từ 1")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Số bản ghi mỗi trang (tối đa 100)")
    ordering: str = Field(
        "", max_length=40, description="Tên trường sắp xếp; thêm “-” phía trước để giảm dần"
    )


def ordered(qs: QuerySet, ordering: str, allowed: dict[str, str], default: tuple[str, ...]) -> QuerySet:
    """Apply ``ordering`` if it names an allowed key (public name → ORM path); 422 otherwise."""
    if not ordering:
        return qs.order_by(*default)
    descending = ordering.startswith("-")
    key = ordering.lstrip("-")
    if key not in allowed:
        choices = ", ".join(sorted(allowed))
        raise HttpError(422, f"Không sắp xếp được theo “{key}”. Chọn một trong: {choices}.")
    path = allowed[key]
    return qs.order_by(f"-{path}" if descending else path, "-pk" if descending else "pk")


def paginate(qs: QuerySet, params: ListParams, to_dict) -> dict:
    start = (params.page - 1) * params.page_size
    items = [to_dict(obj) for obj in qs[start : start + params.page_size]]
    return {"count": qs.count(), "page": params.page, "page_size": params.page_size, "items": items}
