"""What every API router shares: authentication, list parameters, pagination and error objects.

* ``AUTH`` — a bearer token (``Authorization: Bearer ocop_…``, see ``ocop.accounts.twofactor``) or the browser
  session. A token acts as its user, so scoping is the user's role and unit, exactly like the pages.
* ``ListParams`` + ``paginate`` — ``page`` (from 1), ``page_size`` (1–100) and ``ordering`` (a field name from
  the endpoint's whitelist, ``-`` for descending); the answer is ``{"count", "page", "page_size", "items"}``.
* Errors are always ``{"detail": "<Vietnamese message>", "code": "<machine code>"}`` (422 adds ``errors``),
  whoever produced them (``ocop.api.middleware`` is the guarantee); every operation documents them.
* ``choice`` / ``ordering_choices`` — the accepted values of a filter as an enum in the OpenAPI schema, so
  clients (and schemathesis) know them; a value outside is a 422 from validation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

MAX_PAGE_SIZE = 100


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"
    openapi_bearerFormat = "ocop_<prefix>_<secret>"

    def authenticate(self, request, token: str):
        from ocop.accounts.twofactor import token_user

        user = token_user(token)
        if user is None:
            return None
        request.user = user  # selectors scope by request.user, exactly as for a session
        request.api_token_used = True
        return user


token_auth = TokenAuth()
AUTH = [token_auth, django_auth]


class ApiError(Schema):
    detail: str
    code: str


def choice(values: Iterable[str]) -> Any:
    """A filter that is empty (no filter) or one of ``values``: an enum in the schema."""
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
