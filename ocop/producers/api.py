from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .models import Entity
from .selectors import entity_list

router = Router()


class EntityOut(Schema):
    id: int
    name: str
    entity_type: str
    tax_code: str
    commune: str
    address: str


def _entity_out(entity: Entity) -> dict:
    return {
        "id": entity.pk,
        "name": entity.name,
        "entity_type": entity.entity_type,
        "tax_code": entity.tax_code,
        "commune": str(entity.commune),
        "address": entity.address,
    }


class EntityPage(Schema):
    count: int
    items: list[EntityOut]


@router.get("", response=EntityPage, summary="Danh sách chủ thể trong phạm vi người dùng")
def list_entities(request, q: str = "", entity_type: str = "", page: int = 1):
    qs = entity_list(user=request.user, q=q, entity_type=entity_type)
    page = max(page, 1)
    items = qs[(page - 1) * 50 : page * 50]
    return {"count": qs.count(), "items": [_entity_out(e) for e in items]}


@router.get("/{entity_id}", response=EntityOut, summary="Chi tiết chủ thể")
def get_entity(request, entity_id: int):
    entity = get_object_or_404(Entity.objects.for_user(request.user).select_related("commune"), pk=entity_id)
    return _entity_out(entity)
