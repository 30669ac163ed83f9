"""/api/v1/registry/products — the product registry as officers see it (scoped), read-only.

The public portal's product search is ``/api/v1/products`` (SPEC §5.4, ``ocop.portal.api``); this one lists
every product in the user's scope whatever its certificate, with filters, ordering and pagination.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from ocop.core.api import ORDERING_HELP, ApiError, ListParams, choice, ordered, ordering_choices, paginate

from .models import Product, ProductStatus
from .selectors import product_list

router = Router()
ORDERING = {"name": "name_key", "id": "id", "entity": "entity__name_key", "commune": "commune__name"}


class RegistryProductOut(Schema):
    id: int
    name: str
    entity_id: int
    entity: str
    commune: str
    province: str
    group: str = Field(description="Nhóm I–VI")
    product_set: str | None
    status: str = Field(description="active | stopped …")
    gtin: str


class RegistryProductPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RegistryProductOut]


class ProductFilters(ListParams):
    q: str = Field("", max_length=200, description="Tên sản phẩm, chủ thể, địa bàn; không phân biệt dấu")
    group: str = Field("", max_length=5, description="Nhóm I–VI")
    entity_id: int | None = Field(None, ge=1, le=2**62)
    status: choice(ProductStatus.values) = Field("", description=" | ".join(ProductStatus.values))  # type: ignore[valid-type]
    ordering: ordering_choices(ORDERING) = Field("", description=ORDERING_HELP)  # type: ignore[valid-type]


def _out(p: Product) -> dict:
    province = p.commune.province
    return {
        "id": p.pk,
        "name": p.name,
        "entity_id": p.entity_id,
        "entity": p.entity.name,
        "commune": p.commune.name,
        "province": province.name if province else "",
        "group": p.group_code,
        "product_set": p.product_set.name if p.product_set_id else None,
        "status": p.status,
        "gtin": p.gtin,
    }


@router.get("", response=RegistryProductPage, summary="Sản phẩm trong phạm vi người dùng")
def list_products(request, filters: Query[ProductFilters]):
    qs = product_list(
        user=request.user,
        q=filters.q,
        group=filters.group,
        entity_id=filters.entity_id,
        status=filters.status,
    )
    qs = ordered(qs, filters.ordering, ORDERING, ("name_key", "id"))
    return paginate(qs, filters, _out)


@router.get("/{product_id}", response={200: RegistryProductOut, 404: ApiError}, summary="Chi tiết sản phẩm")
def get_product(request, product_id: int = Path(..., ge=1, le=2**62)):
    qs = Product.objects.for_user(request.user).select_related(
        "entity", "commune", "commune__province", "product_set"
    )
    return _out(get_object_or_404(qs, pk=product_id))
