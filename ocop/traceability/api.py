"""Stamp verification (public, SPEC §5.4) and batches (signed in)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest, JsonResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from ocop.core.api import ApiError

from . import selectors
from .epcis import epcis_document
from .models import Batch
from .public import verify_json

router = Router()  # public: /api/v1/stamps
batches_router = Router()  # signed in: /api/v1/batches


class StampProduct(Schema):
    id: int
    name: str
    entity: str
    stars: int | None = Field(
        description="Hạng sao của giấy chứng nhận còn hiệu lực hôm nay; null nếu không có"
    )


class StampOut(Schema):
    status: Literal["genuine", "unknown", "revoked", "suspicious"] = Field(
        description="genuine | unknown | revoked | suspicious"
    )
    product: StampProduct | None
    lot: str
    scan_count: int = Field(description="Số lần mã đã được quét, kể cả lần này")


@router.get(
    "/{code}",
    response={200: StampOut, 429: ApiError},
    summary="Kiểm tra một mã tem (mỗi lần gọi là một lượt quét)",
)
def stamp_verify(
    request: HttpRequest,
    code: str,
    lat: float | None = Query(None, ge=-90, le=90),
    lon: float | None = Query(None, ge=-180, le=180),
    province: str = Query("", max_length=60),
):
    """Tuỳ chọn: `lat`, `lon` hoặc `province` do điện thoại gửi khi người dùng đồng ý chia sẻ vị trí.

    Served by ``middleware.StampApiMiddleware`` (GET, before the session/locale/auth layers; otherwise
    ``public.stamp_api_view``, resolved before /api/v1/), which skips ninja's request parsing on this hot
    path; this operation documents it in the OpenAPI schema and answers the same way if the URL order
    ever changes."""
    return verify_json(request, code)


class BatchOut(Schema):
    id: int
    lot: str
    product_id: int
    product: str
    entity: str
    production_date: dt.date | None
    expiry_date: dt.date | None
    quantity: int | None
    raw_material_origin: str
    area_certificates: str
    stamps: dict[str, int]


def _batch_out(batch: Batch, counts: dict[str, int] | None = None) -> dict:
    return {
        "id": batch.pk,
        "lot": batch.lot,
        "product_id": batch.product_id,
        "product": batch.product.name,
        "entity": batch.product.entity.name,
        "production_date": batch.production_date,
        "expiry_date": batch.expiry_date,
        "quantity": batch.quantity,
        "raw_material_origin": batch.raw_material_origin,
        "area_certificates": batch.area_certificates,
        "stamps": counts if counts is not None else selectors.batch_stamp_counts(batch=batch),
    }


@batches_router.get("/", response=list[BatchOut], summary="Các lô sản xuất trong phạm vi")
def batch_list(request: HttpRequest, q: str = ""):
    return [
        _batch_out(b, {"total": b.stamp_total, "active": b.stamp_active})
        for b in selectors.batch_list(user=request.user, q=q)[:500]
    ]


def _get(request: HttpRequest, batch_id: int) -> Batch:
    try:
        return selectors.batch_get(user=request.user, pk=batch_id)
    except Batch.DoesNotExist as exc:
        raise HttpError(404, "Không tìm thấy lô.") from exc


@batches_router.get("/{batch_id}", response=BatchOut, summary="Một lô và số tem theo trạng thái")
def batch_detail(request: HttpRequest, batch_id: int):
    return _batch_out(_get(request, batch_id))


@batches_router.get("/{batch_id}/epcis", summary="Sự kiện của lô dạng EPCIS 2.0 JSON-LD")
def batch_epcis(request: HttpRequest, batch_id: int):
    batch = _get(request, batch_id)
    return JsonResponse(
        epcis_document(batch, request.build_absolute_uri("/").rstrip("/")),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False},
    )
