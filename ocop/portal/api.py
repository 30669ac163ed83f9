"""Public product API (SPEC §5.4): no login, read-only, same search as the portal pages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from ocop.core.api import choice

from . import selectors
from .search import SearchQuery, listing_search

router = Router()


class ProductItem(Schema):
    id: int
    name: str
    entity: str
    stars: int
    commune: str
    district: str | None = Field(description="Huyện (đơn vị cũ); null với đơn vị từ 01/07/2025")
    province: str
    url: str


class ProductPage(Schema):
    count: int
    items: list[ProductItem]


class ErrorOut(Schema):
    detail: str


class CertificateOut(Schema):
    number: str
    stars: int
    valid_from: dt.date
    valid_to: dt.date
    in_force: bool
    status: str = Field(description="in_force | expired")


class EntityOut(Schema):
    id: int
    name: str
    type: str
    address: str
    website: str
    url: str


class UnitOut(Schema):
    commune: str
    district: str | None
    province: str
    commune_2025: str | None
    province_2025: str | None
    latitude: float | None
    longitude: float | None


class ProductDetail(Schema):
    id: int
    name: str
    stars: int
    group: str
    product_set: str | None
    description: str
    story: str
    packaging: str
    gtin: str
    images: list[str]
    url: str
    certificate: CertificateOut
    entity: EntityOut
    unit: UnitOut


GROUP_CODES = ("I", "II", "III", "IV", "V", "VI", "i", "ii", "iii", "iv", "v", "vi")


class ProductFilters(Schema):
    q: str = Field(
        "", max_length=200, description="Tên sản phẩm, chủ thể hoặc địa danh; không phân biệt hoa thường, dấu"
    )
    province: str = Field("", max_length=100, description="Tên tỉnh (cũ hoặc mới, có dấu hay không) hoặc mã")
    stars: int | None = Field(None, ge=1, le=5)
    group: choice(GROUP_CODES) = Field("", description="Mã nhóm I–VI")  # type: ignore[valid-type]
    page: int = Field(1, ge=1, le=10_000)
    include_expired: bool = False


def _item(request: HttpRequest, row) -> dict:
    return {
        "id": row.pk,
        "name": row.name,
        "entity": row.entity_name,
        "stars": row.stars,
        "commune": row.commune_name,
        "district": row.district_name or None,
        "province": row.province_name,
        "url": request.build_absolute_uri(row.get_absolute_url()),
    }


@router.get("", response=ProductPage, summary="Tìm sản phẩm OCOP (công khai)")
def product_search(request: HttpRequest, filters: Query[ProductFilters]):
    """Best match first; only products with a certificate in force today unless `include_expired=1`;
    revoked products never."""
    group = filters.group.strip().upper()
    if group and group not in {"I", "II", "III", "IV", "V", "VI"}:
        raise HttpError(400, "Nhóm sản phẩm phải là một trong I, II, III, IV, V, VI.")
    result = listing_search(
        SearchQuery(
            q=filters.q,
            province=filters.province,
            stars=filters.stars,
            group=group,
            page=filters.page,
            include_expired=filters.include_expired,
        )
    )
    return {"count": result.count, "items": [_item(request, row) for row in result.items]}


@router.get(
    "/{product_id}",
    response={200: ProductDetail, 404: ErrorOut},
    summary="Một sản phẩm OCOP với giấy chứng nhận, chủ thể và địa bàn",
)
def product_detail(request: HttpRequest, product_id: int):
    listing = selectors.public_listing(product_id)
    if listing is None:
        return Status(404, {"detail": "Không tìm thấy sản phẩm OCOP."})
    return Status(200, selectors.product_public_data(listing, absolute=request.build_absolute_uri))
