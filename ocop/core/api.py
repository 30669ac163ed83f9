"""What every app's API router shares: list parameters, ordering, pagination and the error object.

* ``ListParams`` + ``paginate`` — ``page`` (from 1), ``page_size`` (1–100) and ``ordering`` (a field name from
  the endpoint's whitelist, ``-`` for descending); the answer is ``{"count", "page", "page_size", "items"}``.
* Errors are always ``{"detail": "<Vietnamese message>", "code": "<machine code>"}`` (422 adds ``errors``),
  whoever produced them (``ocop.api.middleware`` is the guarantee; authentication, ``AUTH``, lives in
  ``ocop.accounts.api_auth``); every operation documents them.
* ``choice`` / ``ordering_choices`` — the accepted values of a filter as an enum in the OpenAPI schema, so
  clients (and schemathesis) know them; a value outside is a 422 from validation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.errors import HttpError

MAX_PAGE_SIZE = 100


class ApiError(Schema):
    detail: str
    code: str


def choice(values: Iterable[str]) -> Any:
    """A filter that is empty (no filter) or one of ``values``: an enum in the schema.

    The type is built when the module loads, which mypy cannot follow: annotations using ``choice`` or
    ``ordering_choices`` carry ``# type: ignore[valid-type]``."""
    return Literal[("", *values)]


def ordering_choices(allowed: Iterable[str]) -> Any:
    """``ordering``: empty (the endpoint's default), a key of the whitelist, or the key after "-"."""
    keys = sorted(allowed)
    return Literal[("", *keys, *(f"-{key}" for key in keys))]


ORDERING_HELP = "Tên trường sắp xếp; thêm “-” phía trước để giảm dần"


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
