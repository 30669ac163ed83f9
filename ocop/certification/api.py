"""/api/v1/recognitions (recognition history) and /api/v1/certificates — read-only, scoped to the user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from ocop.core.api import ORDERING_HELP, ApiError, ListParams, choice, ordered, ordering_choices, paginate

from .choices import EventKind
from .models import Certificate, RecognitionEvent
from .selectors import LIST_STATUSES, certificate_list

recognitions_router = Router()
certificates_router = Router()
ID = Path(..., ge=1, le=2**62)


# -- recognition history ----------------------------------------------------------------------------------
class RecognitionOut(Schema):
    id: int
    product_id: int
    product: str
    entity: str
    kind: str = Field(description=" | ".join(EventKind.values))
    stars: int | None
    score: Decimal | None
    decision_number: str
    decision_date: dt.date
    issuing_level: str
    reason: str
    certificate_number: str | None


class RecognitionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RecognitionOut]


EVENT_ORDERING = {
    "decision_date": "decision_date",
    "id": "id",
    "stars": "stars",
    "product": "product__name_key",
}


class RecognitionFilters(ListParams):
    product_id: int | None = Field(None, ge=1, le=2**62, description="Lịch sử của một sản phẩm")
    kind: choice(EventKind.values) = Field("", description=" | ".join(EventKind.values))  # type: ignore[valid-type]
    ordering: ordering_choices(EVENT_ORDERING) = Field("", description=ORDERING_HELP)  # type: ignore[valid-type]
    year: int | None = Field(None, ge=1990, le=2100, description="Năm của ngày quyết định")


def _event_out(e: RecognitionEvent) -> dict:
    certificate = getattr(e, "certificate", None)
    return {
        "id": e.pk,
        "product_id": e.product_id,
        "product": e.product.name,
        "entity": e.product.entity.name,
        "kind": e.kind,
        "stars": e.stars,
        "score": e.score,
        "decision_number": e.decision_number,
        "decision_date": e.decision_date,
        "issuing_level": e.issuing_level,
        "reason": e.reason,
        "certificate_number": certificate.number if certificate else None,
    }


def _events(user):
    return RecognitionEvent.objects.for_user(user).select_related("product", "product__entity", "certificate")


@recognitions_router.get("", response=RecognitionPage, summary="Lịch sử công nhận (quyết định) trong phạm vi")
def list_recognitions(request, filters: Query[RecognitionFilters]):
    qs = _events(request.user)
    if filters.product_id:
        qs = qs.filter(product_id=filters.product_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(decision_date__year=filters.year)
    qs = ordered(qs, filters.ordering, EVENT_ORDERING, ("-decision_date", "-id"))
    return paginate(qs, filters, _event_out)


@recognitions_router.get(
    "/{event_id}", response={200: RecognitionOut, 404: ApiError}, summary="Một quyết định công nhận"
)
def get_recognition(request, event_id: int = ID):
    return _event_out(get_object_or_404(_events(request.user), pk=event_id))


# -- certificates ------------------------------------------------------------------------------------------
class CertificateRecordOut(Schema):
    id: int
    number: str
    product_id: int
    product: str
    entity: str
    stars: int
    valid_from: dt.date
    valid_to: dt.date
    ended_on: dt.date | None
    status: str = Field(description="in_force | expired | revoked | superseded (hôm nay)")
    decision_number: str
    decision_date: dt.date


class CertificateRecordPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CertificateRecordOut]


CERTIFICATE_ORDERING = {"valid_to": "valid_to", "valid_from": "valid_from", "id": "id", "stars": "stars"}


class CertificateFilters(ListParams):
    status: choice(LIST_STATUSES) = Field("", description=" | ".join(LIST_STATUSES))  # type: ignore[valid-type]
    ordering: ordering_choices(CERTIFICATE_ORDERING) = Field("", description=ORDERING_HELP)  # type: ignore[valid-type]
    product_id: int | None = Field(None, ge=1, le=2**62)
    stars: int | None = Field(None, ge=3, le=5)


def _certificate_out(c: Certificate, today: dt.date) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "product_id": c.product_id,
        "product": c.product.name,
        "entity": c.product.entity.name,
        "stars": c.stars,
        "valid_from": c.valid_from,
        "valid_to": c.valid_to,
        "ended_on": c.ended_on,
        "status": c.status_on(today),
        "decision_number": c.event.decision_number,
        "decision_date": c.event.decision_date,
    }


def _certificates(user):
    return Certificate.objects.for_user(user).select_related("product", "product__entity", "event")


@certificates_router.get("", response=CertificateRecordPage, summary="Giấy chứng nhận trong phạm vi")
def list_certificates(request, filters: Query[CertificateFilters]):
    today = timezone.localdate()
    if filters.status:
        if filters.status not in LIST_STATUSES:
            raise HttpError(422, "Trạng thái phải là một trong: " + ", ".join(LIST_STATUSES) + ".")
        qs = certificate_list(user=request.user, status=filters.status, day=today)
    else:
        qs = _certificates(request.user)
    if filters.product_id:
        qs = qs.filter(product_id=filters.product_id)
    if filters.stars:
        qs = qs.filter(stars=filters.stars)
    qs = ordered(qs, filters.ordering, CERTIFICATE_ORDERING, ("valid_to", "id"))
    return paginate(qs, filters, lambda c: _certificate_out(c, today))


@certificates_router.get(
    "/{certificate_id}", response={200: CertificateRecordOut, 404: ApiError}, summary="Một giấy chứng nhận"
)
def get_certificate(request, certificate_id: int = ID):
    certificate = get_object_or_404(_certificates(request.user), pk=certificate_id)
    return _certificate_out(certificate, timezone.localdate())
