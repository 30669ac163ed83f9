"""Writes of support records: validate, check the scope, save, audit — one transaction each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from ocop.accounts.roles import keeps_records
from ocop.core.audit import _commune_of, audit_create, audit_delete, audit_saved, audit_update, snapshot
from ocop.core.errors import ScopeError
from ocop.core.models import ScopedModel
from ocop.core.scoping import CHANGE
from ocop.geography.selectors import unit_covers_commune
from ocop.targets.selectors import province_planner

from .kinds import Kind
from .models import MAX_PRIORITY_GROUPS, FairParticipation, PriorityGroup, TradeFair

if TYPE_CHECKING:
    from ocop.accounts.models import User
    from ocop.geography.models import AdminUnit
    from ocop.producers.models import Entity
    from ocop.products.models import ProductSet


def _check_in_scope(*, user: User, instance: models.Model) -> None:
    if not keeps_records(user):
        raise ScopeError("Bạn không có quyền ghi hồ sơ hỗ trợ.")
    if user.is_admin_role:
        return
    commune = _commune_of(instance)
    if commune is None or user.unit is None or not unit_covers_commune(user.unit, commune.pk):
        raise ScopeError("Bản ghi này nằm ngoài phạm vi quản lý của bạn.")


def _check_related(*, user: User, instance: models.Model) -> None:
    """Entity and product a record points to must be visible to the user (no linking to foreign rows)."""
    for name in ("entity", "product"):
        if not hasattr(instance, f"{name}_id"):
            continue
        pk = getattr(instance, f"{name}_id")
        if pk is None:
            continue
        related = _scoped_model(type(instance)._meta.get_field(name).related_model)
        if not related.objects.for_user(user).filter(pk=pk).exists():
            raise ScopeError("Chủ thể/sản phẩm được chọn nằm ngoài phạm vi của bạn.")


def _scoped_model(model: object) -> type[ScopedModel]:
    """The model a relation points to, which is scoped (every entity and product is)."""
    if not (isinstance(model, type) and issubclass(model, ScopedModel)):
        raise TypeError(f"{model!r} is not a scoped model")
    return model


def _check_m2m(*, user: User, kind: Kind, m2m: dict[str, Iterable[Any]]) -> None:
    for name, values in m2m.items():
        related = _scoped_model(kind.model._meta.get_field(name).related_model)
        ids = {getattr(v, "pk", v) for v in values}
        if ids and related.objects.for_user(user).filter(pk__in=ids).count() != len(ids):
            raise ScopeError("Có sản phẩm được chọn nằm ngoài phạm vi của bạn.")


def _split(kind: Kind, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    plain = {k: v for k, v in data.items() if k in kind.fields and k not in kind.m2m}
    m2m = {k: v for k, v in data.items() if k in kind.m2m}
    return plain, m2m


def record_build(*, user: User, kind: Kind, data: dict[str, Any]) -> models.Model:
    """A validated, unsaved record (ValidationError / ScopeError on bad input); used by create and import."""
    plain, _m2m = _split(kind, data)
    instance = kind.model(**plain)
    instance.full_clean()
    _check_in_scope(user=user, instance=instance)
    _check_related(user=user, instance=instance)
    return instance


@transaction.atomic
def record_create(*, user: User, kind: Kind, data: dict[str, Any]) -> models.Model:
    _plain, m2m = _split(kind, data)
    _check_m2m(user=user, kind=kind, m2m=m2m)
    instance = record_build(user=user, kind=kind, data=data)
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    audit_create(user=user, instance=instance)
    return instance


@transaction.atomic
def record_update(*, user: User, kind: Kind, pk: int, data: dict[str, Any]) -> models.Model:
    instance = kind.model.objects.for_user(user, CHANGE).select_for_update().filter(pk=pk).first()
    if instance is None or not keeps_records(user):
        raise ScopeError("Không tìm thấy bản ghi trong phạm vi của bạn.")
    before = snapshot(instance)
    plain, m2m = _split(kind, data)
    for key, value in plain.items():
        setattr(instance, key, value)
    instance.full_clean()
    _check_in_scope(user=user, instance=instance)
    _check_related(user=user, instance=instance)
    _check_m2m(user=user, kind=kind, m2m=m2m)
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    audit_update(user=user, instance=instance, before=before)
    return instance


@transaction.atomic
def record_delete(*, user: User, kind: Kind, pk: int) -> None:
    instance = kind.model.objects.for_user(user, CHANGE).filter(pk=pk).first()
    if instance is None or not keeps_records(user):
        raise ScopeError("Không tìm thấy bản ghi trong phạm vi của bạn.")
    audit_delete(user=user, instance=instance)
    instance.delete()


# --- fair participants ---


@transaction.atomic
def participation_add(*, user: User, fair: TradeFair, entity: Entity, sales_vnd: int) -> FairParticipation:
    found = TradeFair.objects.for_user(user, CHANGE).filter(pk=fair.pk).first()
    if found is None or not keeps_records(user):
        raise ScopeError("Không tìm thấy hội chợ trong phạm vi của bạn.")
    participation = FairParticipation(fair=found, entity=entity, sales_vnd=sales_vnd)
    participation.full_clean()
    _check_related(user=user, instance=participation)
    participation.save()
    audit_create(user=user, instance=participation)
    return participation


@transaction.atomic
def participation_remove(*, user: User, pk: int) -> None:
    participation = FairParticipation.objects.filter(
        pk=pk, fair__in=TradeFair.objects.for_user(user, CHANGE)
    ).first()
    if participation is None or not keeps_records(user):
        raise ScopeError("Không tìm thấy bản ghi trong phạm vi của bạn.")
    audit_delete(user=user, instance=participation)
    participation.delete()


# --- priority groups ---


@transaction.atomic
def priority_group_save(
    *,
    user: User,
    province: AdminUnit,
    name: str,
    product_sets: Iterable[ProductSet],
    position: int = 0,
    pk: int | None = None,
) -> PriorityGroup:
    if not province_planner(user=user, province=province):
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này được sửa nhóm sản phẩm ưu tiên.")
    if pk is None:
        if PriorityGroup.objects.filter(province=province).count() >= MAX_PRIORITY_GROUPS:
            raise ValidationError(f"Mỗi tỉnh có tối đa {MAX_PRIORITY_GROUPS} nhóm sản phẩm ưu tiên.")
        group = PriorityGroup(province=province)
        before = None
    else:
        found = PriorityGroup.objects.select_for_update().filter(pk=pk, province=province).first()
        if found is None:
            raise ScopeError("Không tìm thấy nhóm ưu tiên.")
        group = found
        before = snapshot(group)
    sets = list(product_sets)
    if not sets:
        raise ValidationError("Hãy chọn ít nhất một bộ sản phẩm cho nhóm ưu tiên.")
    group.name = name.strip()
    group.position = position
    group.full_clean()
    group.save()
    group.product_sets.set(sets)
    audit_saved(user=user, instance=group, before=before)
    return group


@transaction.atomic
def priority_group_delete(*, user: User, group: PriorityGroup) -> None:
    if not province_planner(user=user, province=group.province):
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này được sửa nhóm sản phẩm ưu tiên.")
    audit_delete(user=user, instance=group)
    group.delete()
