from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from ocop.accounts.roles import Role
from ocop.core.audit import audit_create, audit_record, audit_update, snapshot
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.core.scoping import CHANGE
from ocop.core.signals import notify_products_changed
from ocop.producers.models import Entity
from ocop.producers.services import check_commune_in_scope

from .identity import product_same_as
from .models import Product, ProductImage

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ocop.accounts.models import User
    from ocop.geography.models import AdminUnit

EDITABLE_FIELDS = (
    "name",
    "entity",
    "commune",
    "product_set",
    "description",
    "story",
    "packaging",
    "gtin",
    "status",
    "name_en",
    "description_en",
)
MAX_IMAGE_SIDE = 2000


def _check_entity(*, user: User, entity: Entity) -> None:
    if not Entity.objects.for_user(user, CHANGE).filter(pk=entity.pk).exists():
        raise ScopeError("Chủ thể này nằm ngoài phạm vi của bạn.")


def _check_commune(*, user: User, commune: AdminUnit) -> None:
    if user.role == Role.PRODUCER and user.entity is not None and not user.is_admin_role:
        if commune.pk != user.entity.commune_id:
            raise ScopeError("Sản phẩm phải thuộc địa bàn của chủ thể.")
        return
    check_commune_in_scope(user=user, commune=commune)


def _check_not_a_duplicate(product: Product) -> None:
    """The import's rule of the same product (``identity.product_same_as``): the same entity and name in the
    same place is that product."""
    same = product_same_as(
        entity=product.entity, name=product.name, commune=product.commune, exclude=product.pk
    )
    if same is not None:
        raise ValidationError(
            {"name": f"Chủ thể này đã có sản phẩm “{same.name}” ở {same.commune.name}; hãy sửa sản phẩm đó."}
        )


@transaction.atomic
def product_create(*, user: User, data: dict[str, Any]) -> Product:
    entity = data["entity"]
    _check_entity(user=user, entity=entity)
    fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    fields["commune"] = fields.get("commune") or entity.commune
    _check_commune(user=user, commune=fields["commune"])
    product = Product(**fields)
    if product.product_set is not None:
        product.group_code = product.product_set.group.code
    product.full_clean()
    _check_not_a_duplicate(product)
    product.save()
    audit_create(user=user, instance=product)
    return product


@transaction.atomic
def product_update(*, user: User, product: Product, data: dict[str, Any]) -> Product:
    locked = Product.objects.for_user(user, CHANGE).select_for_update().filter(pk=product.pk).first()
    if locked is None:
        raise ScopeError("Không tìm thấy sản phẩm trong phạm vi của bạn.")
    product = locked
    before = snapshot(product)
    original = (product.entity_id, product.commune_id)
    for key, value in data.items():
        if key in EDITABLE_FIELDS:
            setattr(product, key, value)
    if product.commune_id is None:
        product.commune = product.entity.commune
    if (product.entity_id, product.commune_id) != original:
        _check_entity(user=user, entity=product.entity)
        _check_commune(user=user, commune=product.commune)
    product.group_code = product.product_set.group.code if product.product_set is not None else ""
    product.full_clean()
    if (product.name, product.entity_id, product.commune_id) != (before["name"], *original):
        _check_not_a_duplicate(product)
    product.save()
    audit_update(user=user, instance=product, before=before)
    notify_products_changed(product_ids=[product.pk])
    return product


def _reencode(upload: UploadedFile) -> tuple[bytes, str]:
    """Decode and re-encode the picture: drops every metadata segment, embedded scripts and polyglot tails
    (the content is checked against the extension first)."""
    from ocop.core.uploads import reencode_image

    return reencode_image(upload, max_side=MAX_IMAGE_SIDE, keep_alpha=True)


@transaction.atomic
def product_image_add(
    *, user: User, product: Product, upload: UploadedFile, caption: str = ""
) -> ProductImage:
    if not Product.objects.for_user(user, CHANGE).filter(pk=product.pk).exists():
        raise ScopeError("Không tìm thấy sản phẩm trong phạm vi của bạn.")
    content, ext = _reencode(upload)
    position = product.images.count()
    image = ProductImage(product=product, caption=caption, position=position)
    image.image.save(f"anh-{position + 1}.{ext}", ContentFile(content), save=False)
    image.save()
    audit_record(
        user=user,
        action=AuditLog.Action.UPDATE,
        instance=product,
        changes={"images": [None, image.image.name]},
    )
    return image


@transaction.atomic
def product_image_delete(*, user: User, image: ProductImage) -> None:
    product = image.product
    if not Product.objects.for_user(user, CHANGE).filter(pk=product.pk).exists():
        raise ScopeError("Không tìm thấy sản phẩm trong phạm vi của bạn.")
    name = image.image.name
    image.image.delete(save=False)
    image.delete()
    audit_record(user=user, action=AuditLog.Action.UPDATE, instance=product, changes={"images": [name, None]})
