from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from ocop.core.audit import audit_create, audit_delete, audit_update, snapshot
from ocop.core.errors import ScopeError
from ocop.core.scoping import CHANGE
from ocop.core.signals import notify_products_changed
from ocop.geography.selectors import unit_covers_commune

from .identity import entity_same_as
from .models import Entity

if TYPE_CHECKING:
    from ocop.accounts.models import User
    from ocop.geography.models import AdminUnit

EDITABLE_FIELDS = (
    "name",
    "entity_type",
    "tax_code",
    "commune",
    "address",
    "representative",
    "representative_gender",
    "representative_ethnic_minority",
    "representative_id_number",
    "phone",
    "email",
    "website",
    "founded_year",
    "is_active",
    "name_en",
    "description_en",
)


def check_commune_in_scope(*, user: User, commune: AdminUnit) -> None:
    """An officer may only place records in communes their unit covers (admins anywhere)."""
    if user.is_admin_role:
        return
    if user.unit is None or not unit_covers_commune(user.unit, commune.pk):
        raise ScopeError("Xã/phường này nằm ngoài phạm vi quản lý của bạn.")


def _check_not_a_duplicate(entity: Entity) -> None:
    """The import's rule of the same entity (``identity.entity_same_as``): an entity named like one of the
    same place, without a number to tell them apart, is that entity."""
    same = entity_same_as(
        name=entity.name, commune=entity.commune, tax_code=entity.tax_code, exclude=entity.pk
    )
    if same is not None:
        raise ValidationError(
            {
                "name": f"Đã có chủ thể “{same.name}” ở {same.commune.name}; hãy sửa chủ thể đó (hoặc ghi mã "
                "số thuế để phân biệt) thay vì tạo thêm."
            }
        )


@transaction.atomic
def entity_create(*, user: User, data: dict[str, Any]) -> Entity:
    if not user.can("create_entity"):
        raise ScopeError("Bạn không có quyền tạo chủ thể.")
    check_commune_in_scope(user=user, commune=data["commune"])
    entity = Entity(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    entity.full_clean()
    _check_not_a_duplicate(entity)
    entity.save()
    audit_create(user=user, instance=entity)
    return entity


@transaction.atomic
def entity_update(*, user: User, entity: Entity, data: dict[str, Any]) -> Entity:
    # Re-read inside the transaction through the scope: a stale or foreign object is refused.
    locked = Entity.objects.for_user(user, CHANGE).select_for_update().filter(pk=entity.pk).first()
    if locked is None:
        raise ScopeError("Không tìm thấy chủ thể trong phạm vi của bạn.")
    entity = locked
    before = snapshot(entity)
    original_commune_id = entity.commune_id
    for key, value in data.items():
        if key in EDITABLE_FIELDS:
            setattr(entity, key, value)
    if entity.commune_id != original_commune_id:
        check_commune_in_scope(user=user, commune=entity.commune)
    entity.full_clean()
    if (entity.name, entity.commune_id, entity.tax_code) != (
        before["name"],
        original_commune_id,
        before["tax_code"],
    ):
        _check_not_a_duplicate(entity)
    entity.save()
    audit_update(user=user, instance=entity, before=before)
    _products_rekey(entity)
    notify_products_changed(product_ids=entity.products.values_list("pk", flat=True))
    return entity


def _products_rekey(entity: Entity) -> None:
    """Products carry the entity's name in their search key; keep it current after a rename."""
    from ocop.products.models import places_keys, product_keys

    products = list(entity.products.only("id", "name", "commune_id"))
    places = places_keys(product.commune_id for product in products)
    for product in products:
        _name_key, product.search_key = product_keys(
            name=product.name, entity_name_key=entity.name_key, places_key=places[product.commune_id]
        )
    if products:
        type(products[0]).objects.bulk_update(products, ["search_key"])


@transaction.atomic
def entity_delete(*, user: User, entity: Entity) -> None:
    found = Entity.objects.for_user(user, CHANGE).filter(pk=entity.pk).first()
    if found is None or not user.can("create_entity"):
        raise ScopeError("Không tìm thấy chủ thể trong phạm vi của bạn.")
    entity = found
    if entity.products.exists():
        raise ScopeError("Chủ thể đã có sản phẩm; hãy chuyển sang trạng thái ngừng hoạt động thay vì xoá.")
    audit_delete(user=user, instance=entity)
    try:
        entity.delete()
    except ProtectedError as error:  # support records (revenue, fairs, consulting…) name the entity
        raise ScopeError(
            "Chủ thể đã có hồ sơ hỗ trợ (doanh thu, hội chợ, tư vấn…); hãy chuyển sang trạng thái ngừng "
            "hoạt động thay vì xoá."
        ) from error
