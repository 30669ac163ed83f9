"""/api/v1/funding/grants — grants paid under support policies, in the caller's scope."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from ocop.core.api import ORDERING_HELP, ListParams, ordered, ordering_choices, paginate

from .selectors import grant_list

router = Router()
ORDERING = {"paid_on": "paid_on", "amount_vnd": "amount_vnd"}


class GrantFilter(ListParams):
    year: int | None = Field(None, ge=2018, le=2100, description="Năm chi")
    ordering: ordering_choices(ORDERING) = Field("", description=ORDERING_HELP)  # type: ignore[valid-type]


class GrantOut(Schema):
    id: int
    entity_id: int
    entity: str
    product_id: int | None
    policy: str = Field(..., description="Số nghị quyết/quyết định")
    item: str
    cost_vnd: int
    amount_vnd: int
    paid_on: str
    purpose: str


class GrantPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[GrantOut]


def _out(g) -> dict:
    return {
        "id": g.pk,
        "entity_id": g.entity_id,
        "entity": g.entity.name,
        "product_id": g.product_id,
        "policy": g.item.policy.number,
        "item": g.item.content,
        "cost_vnd": g.cost_vnd,
        "amount_vnd": g.amount_vnd,
        "paid_on": g.paid_on.isoformat(),
        "purpose": g.purpose,
    }


@router.get("/grants", response=GrantPage, summary="Khoản hỗ trợ theo chính sách (trong phạm vi người dùng)")
def grants(request, params: Query[GrantFilter]):
    qs = ordered(
        grant_list(user=request.user, year=params.year),
        params.ordering,
        ORDERING,
        ("-paid_on", "-id"),
    )
    return paginate(qs, params, _out)
