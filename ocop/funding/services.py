"""Writes of support policies and grants: validate, check the scope, save, audit — one transaction each.

A grant is refused when it pays more than its policy item allows — above ``rate_percent`` of the cost, or
above the cap per grant — or is paid outside the policy's validity, or goes to an entity (or product) outside
the officer's scope or the policy's province."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ocop.accounts.roles import keeps_records
from ocop.core.audit import audit_create, audit_delete, audit_saved, audit_update, snapshot
from ocop.core.errors import ScopeError
from ocop.core.scoping import CHANGE
from ocop.geography.selectors import unit_covers_commune
from ocop.producers.models import Entity
from ocop.products.models import Product
from ocop.targets.selectors import province_planner

from .models import Grant, Policy, PolicyItem

if TYPE_CHECKING:
    from ocop.accounts.models import User

GRANT_FIELDS = ("item", "entity", "product", "cost_vnd", "amount_vnd", "paid_on", "purpose", "decision")


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".") + " đồng"


@transaction.atomic
def policy_save(*, user: User, province: Any, data: dict[str, Any], pk: int | None = None) -> Policy:
    if not province_planner(user=user, province=province):
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này ghi chính sách hỗ trợ.")
    policy: Policy | None
    if pk is None:
        policy, before = Policy(province=province), None
    else:
        policy = Policy.objects.select_for_update().filter(pk=pk, province=province).first()
        if policy is None:
            raise ScopeError("Không tìm thấy chính sách.")
        before = snapshot(policy)
    for name in ("number", "title", "issued_on", "valid_from", "valid_until"):
        if name in data:
            setattr(policy, name, data[name].strip() if isinstance(data[name], str) else data[name])
    errors = {}
    if policy.valid_from and policy.issued_on and policy.valid_from < policy.issued_on:
        errors["valid_from"] = "Ngày hiệu lực không thể trước ngày ban hành."
    if policy.valid_until and policy.valid_from and policy.valid_until < policy.valid_from:
        errors["valid_until"] = "Ngày hết hiệu lực phải sau ngày có hiệu lực."
    if errors:
        raise ValidationError(errors)
    policy.full_clean()
    policy.save()
    audit_saved(user=user, instance=policy, before=before)
    return policy


@transaction.atomic
def policy_item_add(
    *, user: User, policy: Policy, content: str, rate_percent: Decimal, cap_vnd: int
) -> PolicyItem:
    if not province_planner(user=user, province=policy.province):
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này ghi chính sách hỗ trợ.")
    item = PolicyItem(policy=policy, content=content.strip(), rate_percent=rate_percent, cap_vnd=cap_vnd)
    item.full_clean()
    item.save()
    audit_create(user=user, instance=item)
    return item


def _check_grant(grant: Grant, *, user: User) -> None:
    item, policy = grant.item, grant.item.policy
    errors: dict[str, str] = {}
    limit = int(Decimal(grant.cost_vnd) * item.rate_percent / 100)
    if grant.amount_vnd > limit:
        errors["amount_vnd"] = (
            f"Vượt mức hỗ trợ: tối đa {item.rate_text} % chi phí {_money(grant.cost_vnd)}, "
            f"tức {_money(limit)} (đề nghị {_money(grant.amount_vnd)})."
        )
    elif grant.amount_vnd > item.cap_vnd:
        errors["amount_vnd"] = (
            f"Vượt mức tối đa mỗi lần hỗ trợ của “{item.content}”: {_money(item.cap_vnd)} "
            f"(đề nghị {_money(grant.amount_vnd)})."
        )
    if grant.paid_on and not policy.in_force_on(grant.paid_on):
        errors["paid_on"] = f"Ngày {grant.paid_on:%d/%m/%Y} nằm ngoài thời gian hiệu lực của {policy.number}."
    if grant.paid_on and grant.paid_on > dt.date.today():
        errors["paid_on"] = "Ngày chi không được sau hôm nay."
    if grant.entity_id and not unit_covers_commune(policy.province, grant.entity.commune_id):
        errors["entity"] = f"Chủ thể không thuộc {policy.province.name}, nơi áp dụng {policy.number}."
    if grant.product is not None and grant.product.entity_id != grant.entity_id:
        errors["product"] = "Sản phẩm phải là của chủ thể được hỗ trợ."
    if errors:
        raise ValidationError(errors)


def _check_grant_scope(*, user: User, grant: Grant) -> None:
    from .selectors import items_for

    if not keeps_records(user):
        raise ScopeError("Bạn không có quyền ghi khoản hỗ trợ.")
    if not items_for(user=user).filter(pk=grant.item_id).exists():
        raise ScopeError("Chính sách này nằm ngoài phạm vi của bạn.")
    if not Entity.objects.for_user(user, CHANGE).filter(pk=grant.entity_id).exists():
        raise ScopeError("Chủ thể này nằm ngoài phạm vi của bạn.")
    if grant.product_id and not Product.objects.for_user(user, CHANGE).filter(pk=grant.product_id).exists():
        raise ScopeError("Sản phẩm này nằm ngoài phạm vi của bạn.")


@transaction.atomic
def grant_create(*, user: User, data: dict[str, Any]) -> Grant:
    grant = Grant(**{k: v for k, v in data.items() if k in GRANT_FIELDS})
    grant.full_clean()
    _check_grant_scope(user=user, grant=grant)
    _check_grant(grant, user=user)
    grant.save()
    audit_create(user=user, instance=grant)
    return grant


@transaction.atomic
def grant_update(*, user: User, pk: int, data: dict[str, Any]) -> Grant:
    grant = Grant.objects.for_user(user, CHANGE).select_for_update().filter(pk=pk).first()
    if grant is None:
        raise ScopeError("Không tìm thấy khoản hỗ trợ trong phạm vi của bạn.")
    before = snapshot(grant)
    for key, value in data.items():
        if key in GRANT_FIELDS:
            setattr(grant, key, value)
    grant.full_clean()
    _check_grant_scope(user=user, grant=grant)
    _check_grant(grant, user=user)
    grant.save()
    audit_update(user=user, instance=grant, before=before)
    return grant


@transaction.atomic
def grant_delete(*, user: User, pk: int) -> None:
    grant = Grant.objects.for_user(user, CHANGE).filter(pk=pk).first()
    if grant is None or not keeps_records(user):
        raise ScopeError("Không tìm thấy khoản hỗ trợ trong phạm vi của bạn.")
    audit_delete(user=user, instance=grant)
    grant.delete()
