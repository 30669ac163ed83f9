"""Audit trail: every create/change/delete writes one AuditLog row in the same transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditLog

MASK = "•••"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Field values of a record as plain JSON-able values, foreign keys by their text."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if not field.editable or field.primary_key:
            continue
        if field.is_relation:
            data[field.name] = (
                _plain(getattr(instance, field.name, None)) if getattr(instance, field.attname) else None
            )
        else:
            data[field.name] = _plain(getattr(instance, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any], *, personal: tuple[str, ...] = ()) -> dict[str, list]:
    changes: dict[str, list] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = [MASK, MASK] if key in personal else [old, new]
    return changes


def _commune_of(instance: models.Model):
    path = getattr(type(instance), "scope_commune_path", None)
    if not path:
        return None
    target: Any = instance
    for attr in path.split("__"):
        target = getattr(target, attr, None)
        if target is None:
            return None
    return target


def audit_record(
    *, user, action: str, instance: models.Model, changes: dict | None = None, ip_address: str | None = None
) -> AuditLog:
    return AuditLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "",
        action=action,
        model_label=instance._meta.label_lower,
        object_pk=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes or {},
        commune=_commune_of(instance),
        ip_address=ip_address,
    )


def audit_create(*, user, instance: models.Model) -> AuditLog:
    personal = getattr(type(instance), "PERSONAL_FIELDS", ())
    return audit_record(
        user=user,
        action=AuditLog.Action.CREATE,
        instance=instance,
        changes=diff({}, snapshot(instance), personal=personal),
    )


def audit_update(*, user, instance: models.Model, before: dict[str, Any]) -> AuditLog | None:
    personal = getattr(type(instance), "PERSONAL_FIELDS", ())
    changes = diff(before, snapshot(instance), personal=personal)
    if not changes:
        return None
    return audit_record(user=user, action=AuditLog.Action.UPDATE, instance=instance, changes=changes)


def audit_saved(*, user, instance: models.Model, before: dict[str, Any] | None) -> AuditLog | None:
    """After a create-or-update: the create entry when there was no ``before`` snapshot, else the diff."""
    if before is None:
        return audit_create(user=user, instance=instance)
    return audit_update(user=user, instance=instance, before=before)


def audit_delete(*, user, instance: models.Model) -> AuditLog:
    return audit_record(user=user, action=AuditLog.Action.DELETE, instance=instance)
