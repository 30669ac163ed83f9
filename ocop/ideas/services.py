"""Writes of product ideas as officers keep them (steps 1–3 of the annual cycle): register an idea for an
entity, and record its review, business plan and product. Validate, check scope, save, audit — one
transaction each. Producers submit their own ideas in the evaluation app (evaluation.services.dossiers)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ocop.accounts.roles import keeps_records
from ocop.core.audit import audit_create, audit_update, snapshot
from ocop.core.errors import ScopeError
from ocop.core.scoping import CHANGE
from ocop.evaluation.choices import IdeaKind, IdeaStatus
from ocop.evaluation.models import ProductIdea
from ocop.geography.selectors import unit_covers_commune
from ocop.producers.models import Entity
from ocop.products.models import Product

if TYPE_CHECKING:
    from ocop.accounts.models import User

FIRST_YEAR = 2018  # Decision 490/QĐ-TTg: the programme's first cycle
FIELDS = (
    "entity",
    "product_name",
    "product_set",
    "kind",
    "year",
    "description",
    "status",
    "accepted_on",
    "business_plan_on",
    "business_plan",
    "product",
    "review_reason",
)


def _check(idea: ProductIdea, *, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if not FIRST_YEAR <= idea.year <= today.year + 1:
        errors["year"] = f"Năm đăng ký phải từ {FIRST_YEAR} đến {today.year + 1}."
    for name in ("accepted_on", "business_plan_on"):
        value = getattr(idea, name)
        if value and value > today:
            errors[name] = "Ngày không được sau hôm nay."
        elif value and value.year < idea.year:
            errors[name] = f"Ngày {value:%d/%m/%Y} trước năm đăng ký ý tưởng ({idea.year})."
    accepted = idea.status == IdeaStatus.ACCEPTED
    if idea.accepted_on and not accepted:
        errors["accepted_on"] = "Chỉ ghi ngày chấp nhận khi ý tưởng đã được chấp nhận."
    if (idea.business_plan_on or idea.product_id) and not accepted:
        errors["status"] = "Ý tưởng phải được chấp nhận trước khi có phương án kinh doanh hoặc sản phẩm."
    if idea.business_plan_on and idea.accepted_on and idea.business_plan_on < idea.accepted_on:
        errors["business_plan_on"] = "Phương án kinh doanh không thể có trước ngày chấp nhận ý tưởng."
    if idea.business_plan_on and not idea.business_plan.strip():
        errors["business_plan"] = "Hãy tóm tắt phương án kinh doanh đã nhận."
    if idea.status == IdeaStatus.RETURNED and not idea.review_reason.strip():
        errors["review_reason"] = "Cần nêu lý do trả lại ý tưởng."
    if idea.product is not None and idea.product.entity_id != idea.entity_id:
        errors["product"] = "Sản phẩm phải là của chính chủ thể đăng ký ý tưởng."
    if errors:
        raise ValidationError(errors)


def _check_scope(*, user: User, entity: Entity | None, product: Product | None) -> None:
    if not keeps_records(user):
        raise ScopeError("Bạn không có quyền ghi ý tưởng sản phẩm.")
    if entity is not None and not Entity.objects.for_user(user, CHANGE).filter(pk=entity.pk).exists():
        raise ScopeError("Chủ thể này nằm ngoài phạm vi của bạn.")
    if product is not None and not Product.objects.for_user(user, CHANGE).filter(pk=product.pk).exists():
        raise ScopeError("Sản phẩm này nằm ngoài phạm vi của bạn.")
    if (
        entity is not None
        and not user.is_admin_role
        and (user.unit is None or not unit_covers_commune(user.unit, entity.commune_id))
    ):
        raise ScopeError("Chủ thể này nằm ngoài phạm vi của bạn.")


def _apply(idea: ProductIdea, data: dict[str, Any], *, user: User) -> None:
    for name in FIELDS:
        if name in data:
            value = data[name]
            setattr(idea, name, value.strip() if isinstance(value, str) else value)
    idea.kind = idea.kind or IdeaKind.NEW
    if idea.status != IdeaStatus.SUBMITTED and (idea.reviewed_by_id is None or "status" in data):
        idea.reviewed_by = user if getattr(user, "pk", None) else None
        idea.reviewed_at = idea.reviewed_at or timezone.now()


@transaction.atomic
def idea_register(*, user: User, data: dict[str, Any], today: dt.date | None = None) -> ProductIdea:
    """An officer records an idea an entity registered (on paper, at the commune), at whatever step it is."""
    _check_scope(user=user, entity=data.get("entity"), product=data.get("product"))
    idea = ProductIdea(commune=data["entity"].commune if data.get("entity") else None)
    _apply(idea, data, user=user)
    idea.full_clean()
    _check(idea, today=today or timezone.localdate())
    idea.save()
    audit_create(user=user, instance=idea)
    return idea


@transaction.atomic
def idea_update(*, user: User, pk: int, data: dict[str, Any], today: dt.date | None = None) -> ProductIdea:
    idea = ProductIdea.objects.for_user(user, CHANGE).select_for_update().filter(pk=pk).first()
    if idea is None or not keeps_records(user):
        raise ScopeError("Không tìm thấy ý tưởng trong phạm vi của bạn.")
    _check_scope(user=user, entity=data.get("entity"), product=data.get("product"))
    before = snapshot(idea)
    _apply(idea, data, user=user)
    if "entity" in data:
        idea.commune = idea.entity.commune
    idea.full_clean()
    _check(idea, today=today or timezone.localdate())
    idea.save()
    audit_update(user=user, instance=idea, before=before)
    return idea
