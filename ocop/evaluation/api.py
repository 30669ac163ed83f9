"""GET /api/v1/evaluations and /api/v1/evaluations/{id}: council results, scoped to the user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from ocop.core.api import ORDERING_HELP, ApiError, ListParams, choice, ordered, ordering_choices, paginate

from .choices import EvaluationStatus
from .models import Evaluation
from .selectors import evaluation_list

router = Router()
PAGE_SIZE = 50


class EvaluationOut(Schema):
    id: int
    product: str
    product_id: int
    entity: str
    set_number: int
    criteria_version: str
    council: str
    level: str
    session_date: dt.date
    status: str
    average: Decimal | None
    parts: dict[str, Decimal]
    band_stars: int | None
    stars: int | None
    held_back_by: list[str]
    explanation: str
    spread_blocked: bool
    decision_number: str
    decision_date: dt.date | None


class EvaluationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EvaluationOut]


def _out(e: Evaluation) -> dict:
    version = e.dossier.criteria_version
    return {
        "id": e.pk,
        "product": e.dossier.product.name,
        "product_id": e.dossier.product_id,
        "entity": e.dossier.entity.name,
        "set_number": version.set_number,
        "criteria_version": f"{version.legal_version}#{version.revision}",
        "council": e.session.council.name,
        "level": e.session.council.level,
        "session_date": e.session.date,
        "status": e.status,
        "average": e.average,
        "parts": {k: Decimal(v) for k, v in e.parts.items()},
        "band_stars": e.band_stars,
        "stars": e.stars,
        "held_back_by": e.held_back_by,
        "explanation": e.explanation,
        "spread_blocked": e.spread_blocked,
        "decision_number": e.decision_number,
        "decision_date": e.decision_date,
    }


ORDERING = {"session_date": "session__date", "id": "id", "average": "average", "stars": "stars"}


class EvaluationFilters(ListParams):
    page_size: int = Field(PAGE_SIZE, ge=1, le=100, description="Số bản ghi mỗi trang (tối đa 100)")
    status: choice(EvaluationStatus.values) = Field("", description=" | ".join(EvaluationStatus.values))  # type: ignore[valid-type]
    ordering: ordering_choices(ORDERING) = Field("", description=ORDERING_HELP)  # type: ignore[valid-type]
    year: int | None = Field(None, ge=1990, le=2100, description="Năm của hội đồng")


@router.get("", response=EvaluationPage, summary="Kết quả đánh giá trong phạm vi người dùng")
def list_evaluations(request, filters: Query[EvaluationFilters]):
    qs = evaluation_list(user=request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(session__council__year=filters.year)
    qs = ordered(qs, filters.ordering, ORDERING, ("-session__date", "-id"))
    return paginate(qs, filters, _out)


@router.get(
    "/{evaluation_id}", response={200: EvaluationOut, 404: ApiError}, summary="Chi tiết kết quả đánh giá"
)
def get_evaluation(request, evaluation_id: int = Path(..., ge=1, le=2**62)):
    return _out(get_object_or_404(evaluation_list(user=request.user), pk=evaluation_id))
