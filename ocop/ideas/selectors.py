"""Reads of product ideas (evaluation.ProductIdea) by year and stage — steps 1–3 of the annual cycle.

An idea's **stage** on a day D: ``returned`` (sent back), ``submitted`` (waiting), ``accepted`` (accepted
on or before D: ``accepted_on``, else the day it was reviewed), ``business_plan`` (its business plan came
in on or before D), ``product`` (its product was recognised as an OCOP product, 3–5★, on or before D). Each
stage includes the later ones in the counts: an idea that became a product was also accepted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from ocop.certification.choices import EventKind
from ocop.certification.models import RecognitionEvent
from ocop.core.text import fold
from ocop.evaluation.choices import IdeaStatus
from ocop.evaluation.models import ProductIdea

if TYPE_CHECKING:
    from ocop.accounts.models import User

STAGES = {
    "submitted": "Chờ xem xét",
    "returned": "Trả lại",
    "accepted": "Đã chấp nhận",
    "business_plan": "Đã có phương án kinh doanh",
    "product": "Đã thành sản phẩm OCOP",
}
COUNT_KEYS = ("registered", "accepted", "business_plan", "product", "returned")


def _recognised_by(day: dt.date) -> Exists:
    return Exists(
        RecognitionEvent.objects.filter(
            product=OuterRef("product"),
            decision_date__lte=day,
            stars__gte=3,
        ).exclude(kind=EventKind.REVOCATION)
    )


def with_stage(qs: QuerySet[ProductIdea], day: dt.date) -> QuerySet[ProductIdea]:
    """Annotate ``accepted_day`` and ``recognised`` (as of ``day``) for ``stage_of``."""
    return qs.annotate(
        accepted_day=Coalesce(F("accepted_on"), TruncDate("reviewed_at")),
        recognised=_recognised_by(day),
    )


def stage_of(idea: Any, day: dt.date) -> str:
    """The stage of an idea annotated by ``with_stage``."""
    if idea.status == IdeaStatus.RETURNED:
        return "returned"
    accepted = (
        idea.status == IdeaStatus.ACCEPTED and idea.accepted_day is not None and idea.accepted_day <= day
    )
    if not accepted:
        return "submitted"
    if idea.product_id and idea.recognised:
        return "product"
    if idea.business_plan_on and idea.business_plan_on <= day:
        return "business_plan"
    return "accepted"


def idea_list(
    *, user: User, year: int | None = None, stage: str = "", q: str = "", day: dt.date | None = None
) -> list[Any]:
    """Ideas in the user's scope (newest year first), with ``stage`` set as of ``day`` (default today)."""
    day = day or dt.date.today()
    qs = ProductIdea.objects.for_user(user).select_related(
        "entity", "commune__successor", "product_set", "product"
    )
    if year:
        qs = qs.filter(year=year)
    for word in fold(q).split():
        qs = qs.filter(Q(entity__name_key__contains=word) | Q(product_name__icontains=word))
    ideas = list(with_stage(qs, day).order_by("-year", "product_name", "id"))
    for idea in ideas:
        _mark_stage(idea, day)
    if stage:
        ideas = [idea for idea in ideas if idea.stage == stage]  # type: ignore[attr-defined]
    return ideas


def idea_get(*, user: User, pk: int, action: str = "view") -> ProductIdea:
    """ProductIdea.DoesNotExist outside the user's scope (views answer 404)."""
    idea = (
        with_stage(ProductIdea.objects.for_user(user, action), dt.date.today())
        .select_related("entity", "commune", "product_set", "product")
        .get(pk=pk)
    )
    _mark_stage(idea, dt.date.today())
    return idea


def _mark_stage(idea: ProductIdea, day: dt.date) -> None:
    """The idea's stage on ``day`` and its label, as attributes the pages read (not stored: it follows
    from the dates and links the idea holds)."""
    stage = stage_of(idea, day)
    idea.stage = stage  # type: ignore[attr-defined]
    idea.stage_label = STAGES[stage]  # type: ignore[attr-defined]


def idea_counts_by_year(*, commune_ids: list[int], as_of: dt.date) -> dict[str, dict[str, int]]:
    """Per registration year ≤ as_of's year: ideas ``registered`` and how many had reached each stage by
    ``as_of`` (``accepted`` counts every accepted idea, those further on included)."""
    qs = ProductIdea.objects.filter(commune_id__in=commune_ids, year__lte=as_of.year)
    counts: dict[int, Counter[str]] = {}
    for idea in with_stage(qs, as_of).only(
        "id", "year", "status", "accepted_on", "reviewed_at", "business_plan_on", "product_id"
    ):
        row = counts.setdefault(idea.year, Counter())
        row["registered"] += 1
        stage = stage_of(idea, as_of)
        if stage in ("accepted", "business_plan", "product"):
            row["accepted"] += 1
        if stage in ("business_plan", "product"):
            row["business_plan"] += 1
        if stage == "product":
            row["product"] += 1
        if stage == "returned":
            row["returned"] += 1
    return {str(year): {key: counts[year][key] for key in COUNT_KEYS} for year in sorted(counts)}


def idea_years(*, user: User) -> list[int]:
    return sorted(set(ProductIdea.objects.for_user(user).values_list("year", flat=True)), reverse=True)
