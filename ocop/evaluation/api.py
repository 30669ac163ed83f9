"""GET /api/v1/evaluations and /api/v1/evaluations/{id}: council results, scoped to the user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

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


@router.get("", response=EvaluationPage, summary="Kết quả đánh giá trong phạm vi người dùng")
def list_evaluations(request, status: str = "", year: int | None = None, page: int = 1):
    qs = evaluation_list(user=request.user).order_by("-session__date", "-id")
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(session__council__year=year)
    page = max(page, 1)
    items = qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {"count": qs.count(), "items": [_out(e) for e in items]}


@router.get("/{evaluation_id}", response=EvaluationOut, summary="Chi tiết kết quả đánh giá")
def get_evaluation(request, evaluation_id: int):
    return _out(get_object_or_404(evaluation_list(user=request.user), pk=evaluation_id))
