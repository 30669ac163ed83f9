"""/api/v1/support — KPIs of a province as of a day, and the scoped, paginated list of each record type."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from ocop.targets.api import AS_OF, PROVINCE_HELP, unit_and_day

from .kinds import KINDS, Kind
from .selectors import record_list, support_kpis

router = Router()
PAGE_SIZE = 50


class ErrorOut(Schema):
    detail: str


class KpiOut(Schema):
    province: str
    as_of: str = Field(..., description="YYYY-MM-DD")
    trainees: dict[str, int] = Field(..., description="officers, coop_members, founders, total")
    courses: int
    consulting_rounds: int
    geographical_indications: int
    collective_trademarks: int
    certification_marks: int
    trademarks: int
    products_with_certified_area: int
    certified_area_ha: float
    certified_area_by_standard: dict[str, int]
    products_exported: int
    export_markets: int
    products_on_ecommerce: int
    ecommerce_by_platform: dict[str, int]
    entities_national_ecommerce: int
    points_of_sale: int
    points_of_sale_by_kind: dict[str, int]
    fairs: int
    fair_participations: int
    fair_sales_vnd: int
    revenue_growth: dict[str, float] = Field(..., description="eligible, grown, percent")
    latest_year: dict[str, float] = Field(
        ..., description="entities, revenue_million, workers, local_workers"
    )


class RecordPage(Schema):
    kind: str
    count: int
    page: int
    items: list[dict[str, Any]]


@router.get(
    "/kpis",
    response={200: KpiOut, 404: ErrorOut},
    summary="Chỉ số hỗ trợ OCOP của một tỉnh tại một ngày (tính từ hồ sơ)",
)
def kpis(
    request,
    province: str = Query("", max_length=100, description=PROVINCE_HELP),
    as_of: dt.date | None = AS_OF,
):
    """`province`: tên hoặc mã đơn vị (bỏ trống = đơn vị của cán bộ).
    `as_of`: YYYY-MM-DD (mặc định hôm nay)."""
    chosen = unit_and_day(request.user, province, as_of)
    if isinstance(chosen, Status):
        return chosen
    unit, day = chosen
    return Status(200, support_kpis(unit, day))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def record_out(kind: Kind, record) -> dict[str, Any]:
    data: dict[str, Any] = {"id": record.pk}
    for name in kind.fields:
        field = kind.model._meta.get_field(name)
        if name in kind.m2m:
            data[name] = [obj.pk for obj in getattr(record, name).all()]
        elif field.is_relation:
            data[f"{name}_id"] = getattr(record, field.attname)
            data[name] = str(getattr(record, name)) if getattr(record, field.attname) else None
        else:
            data[name] = _plain(getattr(record, name))
    return data


@router.get(
    "/records/{kind}",
    response={200: RecordPage, 404: ErrorOut},
    summary="Danh sách hồ sơ hỗ trợ theo loại (trong phạm vi người dùng, 50 bản ghi/trang)",
)
def records(request, kind: str, q: str = "", page: int = 1):
    """`kind`: tap-huan, tu-van, so-huu-tri-tue, vung-nguyen-lieu, diem-ban, hoi-cho, thuong-mai-dien-tu,
    xuat-khau, doanh-thu."""
    found = KINDS.get(kind)
    if found is None:
        return Status(404, {"detail": f"Không có loại hồ sơ “{kind}”."})
    qs = record_list(user=request.user, kind=found, q=q).order_by("pk")
    page = max(page, 1)
    items = qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return Status(
        200,
        {"kind": kind, "count": qs.count(), "page": page, "items": [record_out(found, r) for r in items]},
    )
