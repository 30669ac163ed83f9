"""Find, export and erase one person's data (admin only); every step is audited."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from ocop.core.audit import audit_record
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog

from .registry import ERASED_NAME, NAME, PERSONAL_DATA, PHONE


@dataclass
class Match:
    label: str
    pk: int
    title: str
    fields: dict[str, str]


def _require_admin(user) -> None:
    if not user.can("manage_users"):
        raise ScopeError("Chỉ quản trị hệ thống được xử lý dữ liệu cá nhân.")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def find_person(*, user, q: str) -> list[Match]:
    """Records whose personal fields contain the name, phone, ID number or e-mail typed (min 3 characters)."""
    _require_admin(user)
    q = (q or "").strip()
    if len(q) < 3:
        return []
    matches: list[Match] = []
    for label, fields in PERSONAL_DATA.items():
        model = apps.get_model(label)
        cond = Q()
        for name, kind in fields.items():
            cond |= Q(**{f"{name}__icontains": q})
            if kind == PHONE and len(_digits(q)) >= 6:
                cond |= Q(**{f"{name}__contains": _digits(q)})
        for obj in model._base_manager.filter(cond).order_by("pk")[:50]:
            meta = model._meta
            values = {str(meta.get_field(n).verbose_name): str(getattr(obj, n) or "") for n in fields}
            matches.append(Match(label, obj.pk, f"{model._meta.verbose_name}: {obj}", values))
    AuditLog.objects.create(
        user=user,
        username=user.username,
        action=AuditLog.Action.VIEW_PERSONAL,
        model_label="privacy.search",
        object_repr=f"Tìm dữ liệu cá nhân ({len(matches)} kết quả)",
    )
    return matches


def _get(label: str, pk: int):
    if label not in PERSONAL_DATA:
        raise ScopeError("Loại bản ghi không chứa dữ liệu cá nhân.")
    return apps.get_model(label)._base_manager.get(pk=pk)


def person_export(*, user, items: list[tuple[str, int]]) -> str:
    """A JSON document with the personal fields of the chosen records (the person's copy of their data)."""
    _require_admin(user)
    out = []
    for label, pk in items:
        obj = _get(label, pk)
        out.append(
            {
                "loai": str(obj._meta.verbose_name),
                "model": label,
                "id": obj.pk,
                "ban_ghi": str(obj),
                "du_lieu": {name: getattr(obj, name) for name in PERSONAL_DATA[label]},
            }
        )
        audit_record(user=user, action=AuditLog.Action.EXPORT, instance=obj, changes={"privacy": "export"})
    return json.dumps({"du_lieu_ca_nhan": out}, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)


@transaction.atomic
def person_erase(*, user, label: str, pk: int) -> None:
    """Anonymise in place: personal fields emptied (names replaced), the record and statistics stay."""
    _require_admin(user)
    obj = _get(label, pk)
    changed = {}
    for name, kind in PERSONAL_DATA[label].items():
        field = obj._meta.get_field(name)
        new = ERASED_NAME if kind == NAME and getattr(obj, name) else ""
        if field.max_length and len(new) > field.max_length:
            new = new[: field.max_length]
        if getattr(obj, name) != new:
            setattr(obj, name, new)
            changed[name] = ["•••", "(đã xoá)"]
    if label == "accounts.user":
        obj.is_active = False
    if changed:
        obj.save()
    audit_record(
        user=user, action=AuditLog.Action.UPDATE, instance=obj, changes=changed | {"privacy": "erase"}
    )
    # Older audit rows name the record as it was; keep who/when/what, drop the personal text.
    AuditLog.objects.filter(model_label=label, object_pk=str(pk)).update(object_repr=f"{label} #{pk}")
    if label == "producers.entity":
        from .models import PublicConsent

        PublicConsent.objects.filter(entity_id=pk).delete()


def may_show_publicly(entity, field: str) -> bool:
    """Whether the portal may show ``representative`` or ``phone`` of this entity (recorded consent)."""
    consent = getattr(entity, "public_consent", None)
    if consent is None:
        return False
    return {"representative": consent.show_representative, "phone": consent.show_phone}.get(field, False)


def personal_view_record(*, user, instance, fields: list[str]) -> None:
    """Audit that this user was shown these personal fields of this record unmasked (Law 91/2025:
    who viewed personal data). Nothing is recorded when nothing personal was shown."""
    shown = [name for name in fields if getattr(instance, name, "")]
    if shown:
        audit_record(
            user=user, action=AuditLog.Action.VIEW_PERSONAL, instance=instance, changes={"fields": shown}
        )


def personal_export_record(*, user, model_label: str, fields: list[str], description: str) -> None:
    """Audit an export that carried personal fields unmasked."""
    AuditLog.objects.create(
        user=user,
        username=user.username,
        action=AuditLog.Action.EXPORT,
        model_label=model_label,
        object_repr=description[:300],
        changes={"fields": fields},
    )
