from __future__ import annotations

import io
from typing import Any

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

from .models import Product, ProductImage

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


def _check_entity(*, user, entity: Entity) -> None:
    if not Entity.objects.for_user(user, CHANGE).filter(pk=entity.pk).exists():
        raise ScopeError("Chủ thể này nằm ngoài phạm vi của bạn.")


def _check_commune(*, user, commune) -> None:
    if user.role == Role.PRODUCER and user.entity_id and not user.is_admin_role:
        if commune.pk != user.entity.commune_id:
            raise ScopeError("Sản phẩm phải thuộc địa bàn của chủ thể.")
        return
    check_commune_in_scope(user=user, commune=commune)


@transaction.atomic
def product_create(*, user, data: dict[str, Any]) -> Product:
    entity = data["entity"]
    _check_entity(user=user, entity=entity)
    fields = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    fields["commune"] = fields.get("commune") or entity.commune
    _check_commune(user=user, commune=fields["commune"])
    product = Product(**fields)
    if product.product_set_id:
        product.group_code = product.product_set.group.code
    product.full_clean()
    product.save()
    audit_create(user=user, instance=product)
    return product


@transaction.atomic
def product_update(*, user, product: Product, data: dict[str, Any]) -> Product:
    product = Product.objects.for_user(user, CHANGE).select_for_update().filter(pk=product.pk).first()
    if product is None:
        raise ScopeError("Không tìm thấy sản phẩm trong phạm vi của bạn.")
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
    product.group_code = product.product_set.group.code if product.product_set_id else ""
    product.full_clean()
    product.save()
    audit_update(user=user, instance=product, before=before)
    notify_products_changed(product_ids=[product.pk])
    return product


def _reencode(upload) -> tuple[bytes, str]:
    """Decode and re-encode the picture: drops metadata (GPS), embedded scripts and polyglot tails."""
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as img:
        img = ImageOps.exif_transpose(img)
        img.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        has_alpha = img.mode in ("RGBA", "LA", "P")
        out = io.BytesIO()
        if has_alpha:
            img.convert("RGBA").save(out, format="PNG", optimize=True)
            return out.getvalue(), "png"
        img.convert("RGB").save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        return out.getvalue(), "jpg"


@transaction.atomic
def product_image_add(*, user, product: Product, upload, caption: str = "") -> ProductImage:
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
def product_image_delete(*, user, image: ProductImage) -> None:
    product = image.product
    if not Product.objects.for_user(user, CHANGE).filter(pk=product.pk).exists():
        raise ScopeError("Không tìm thấy sản phẩm trong phạm vi của bạn.")
    name = image.image.name
    image.image.delete(save=False)
    image.delete()
    audit_record(user=user, action=AuditLog.Action.UPDATE, instance=product, changes={"images": [name, None]})
