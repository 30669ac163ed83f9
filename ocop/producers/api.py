"""/api/v1/entities — producer entities in the user's scope (read-only)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from ocop.core.api import ORDERING_HELP, ApiError, ListParams, choice, ordered, ordering_choices, paginate

from .choices import EntityType
from .models import Entity
from .selectors import entity_list

router = Router()
ORDERING = {"name": "name_key", "id": "id", "commune": "commune__name", "products": "product_count"}


class RegistryEntityOut(Schema):
    id: int
    name: str
    entity_type: str
    tax_code: str
    commune: str
    address: str


class RegistryEntityPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RegistryEntityOut]


class EntityFilters(ListParams):
    page_size: int = Field(50, ge=1, le=100, description="Số bản ghi mỗi trang (tối đa 100)")
    q: str = Field("", max_length=200, description="Tên, mã số thuế, địa bàn; không phân biệt dấu")
    entity_type: choice(EntityType.values) = Field("", description=" | ".join(EntityType.values))  # type: ignore[valid-type]
    ordering: ordering_choices(ORDERING) = Field("", description=ORDERING_HELP)  # type: ignore[valid-type]
    commune_id: int | None = Field(None, ge=1, le=2**62)


def _entity_out(entity: Entity) -> dict:
    return {
        "id": entity.pk,
        "name": entity.name,
        "entity_type": entity.entity_type,
        "tax_code": entity.tax_code,
        "commune": str(entity.commune),
        "address": entity.address,
    }


@router.get("", response=RegistryEntityPage, summary="Danh sách chủ thể trong phạm vi người dùng")
def list_entities(request, filters: Query[EntityFilters]):
    qs = entity_list(
        user=request.user, q=filters.q, entity_type=filters.entity_type, commune_id=filters.commune_id
    )
    qs = ordered(qs, filters.ordering, ORDERING, ("name_key", "id"))
    return paginate(qs, filters, _entity_out)


@router.get("/{entity_id}", response={200: RegistryEntityOut, 404: ApiError}, summary="Chi tiết chủ thể")
def get_entity(request, entity_id: int = Path(..., ge=1, le=2**62)):
    entity = get_object_or_404(Entity.objects.for_user(request.user).select_related("commune"), pk=entity_id)
    return _entity_out(entity)
