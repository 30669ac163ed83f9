"""/api/v1/inspections — inspections after recognition in the caller's scope (``state=overdue``: late)."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from ocop.core.api import ORDERING_HELP, ListParams, choice, ordered, ordering_choices, paginate

from .selectors import inspection_list

router = Router()
ORDERING = {"due_date": "due_date", "inspected_on": "inspected_on"}
STATES = ("planned", "overdue", "done")


class InspectionFilter(ListParams):
    year: int | None = Field(None, ge=2018, le=2100, description="Năm của kế hoạch")
    state: choice(STATES) = Field("", description=" | ".join(STATES))  # type: ignore[valid-type]
    ordering: ordering_choices(ORDERING) = Field("", description=ORDERING_HELP)  # type: ignore[valid-type]


class InspectionOut(Schema):
    id: int
    product_id: int
    product: str
    entity: str
    plan: str
    year: int
    due_date: str
    inspected_on: str | None
    verdict: str = Field(..., description="complies | needs_fixing | serious_breach | rỗng (chưa kiểm tra)")
    fix_by: str | None
    revocation_decision: str | None


class InspectionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[InspectionOut]


def _out(i) -> dict:
    return {
        "id": i.pk,
        "product_id": i.product_id,
        "product": i.product.name,
        "entity": i.product.entity.name,
        "plan": str(i.plan),
        "year": i.plan.year,
        "due_date": i.due_date.isoformat(),
        "inspected_on": i.inspected_on.isoformat() if i.inspected_on else None,
        "verdict": i.verdict,
        "fix_by": i.fix_by.isoformat() if i.fix_by else None,
        "revocation_decision": i.revocation.decision_number if i.revocation_id else None,
    }


@router.get("", response=InspectionPage, summary="Lượt kiểm tra sau công nhận (trong phạm vi người dùng)")
def inspections(request, params: Query[InspectionFilter]):
    qs = inspection_list(user=request.user, year=params.year, state=params.state)
    qs = ordered(qs, params.ordering, ORDERING, ("due_date", "id"))
    return paginate(qs, params, _out)
