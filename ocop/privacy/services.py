"""Find, export and erase one person's data (admin only); every step is audited."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from ocop.accounts.roles import Role
from ocop.core.audit import audit_delete, audit_record, audit_saved, snapshot
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.core.scoping import CHANGE
from ocop.producers.models import Entity

from .models import PublicConsent
from .registry import ERASED_NAME, NAME, PERSONAL_DATA, PHONE
from .selectors import digits

if TYPE_CHECKING:
    from ocop.accounts.models import User


@dataclass
class Match:
    label: str
    pk: int
    title: str
    fields: dict[str, str]


def _require_admin(user: User) -> None:
    if not user.can("manage_users"):
        raise ScopeError("Chỉ quản trị hệ thống được xử lý dữ liệu cá nhân.")


def find_person(*, user: User, q: str) -> list[Match]:
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
            if kind == PHONE and len(digits(q)) >= 6:
                cond |= Q(**{f"{name}__contains": digits(q)})
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


def _get(label: str, pk: int) -> models.Model:
    if label not in PERSONAL_DATA:
        raise ScopeError("Loại bản ghi không chứa dữ liệu cá nhân.")
    found: models.Model = apps.get_model(label)._base_manager.get(pk=pk)
    return found


@transaction.atomic
def person_export(*, user: User, items: list[tuple[str, int]]) -> str:
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
def person_erase(*, user: User, label: str, pk: int) -> None:
    """Anonymise in place: personal fields emptied (names replaced), the record and statistics stay."""
    _require_admin(user)
    obj = _get(label, pk)
    changed = {}
    for name, kind in PERSONAL_DATA[label].items():
        max_length = getattr(obj._meta.get_field(name), "max_length", None)
        new = ERASED_NAME if kind == NAME and getattr(obj, name) else ""
        if max_length and len(new) > max_length:
            new = new[:max_length]
        if getattr(obj, name) != new:
            setattr(obj, name, new)
            changed[name] = ["•••", "(đã xoá)"]
    if label == "accounts.user":
        obj.is_active = False  # type: ignore[attr-defined]  # (a User: signing in is what erasing ends)
    if changed:
        obj.save()
    audit_record(
        user=user, action=AuditLog.Action.UPDATE, instance=obj, changes=changed | {"privacy": "erase"}
    )
    # Older audit rows name the record as it was; keep who/when/what, drop the personal text.
    AuditLog.objects.filter(model_label=label, object_pk=str(pk)).update(object_repr=f"{label} #{pk}")
    if label == "producers.entity":
        PublicConsent.objects.filter(entity_id=pk).delete()


@transaction.atomic
def person_erase_many(*, user: User, items: list[tuple[str, int]]) -> None:
    """Erase several records at once, all or none: one unknown record leaves the others untouched."""
    for label, pk in items:
        person_erase(user=user, label=label, pk=pk)


def _consent_target(*, user: User, entity: Entity) -> Entity:
    """The entity re-read through the CHANGE scope: its own producer account, officers whose unit covers
    its commune, admins. Anyone else (council members, other producers, officers elsewhere) is refused."""
    found = Entity.objects.for_user(user, CHANGE).select_for_update().filter(pk=entity.pk).first()
    if found is None:
        raise ScopeError("Không tìm thấy chủ thể trong phạm vi của bạn.")
    return found


def _is_own_producer(user: User, entity: Entity) -> bool:
    return user.role == Role.PRODUCER and user.entity_id == entity.pk


@transaction.atomic
def consent_record(
    *,
    user: User,
    entity: Entity,
    show_representative: bool,
    show_phone: bool,
    given_on: dt.date | None,
    evidence: str = "",
) -> PublicConsent | None:
    """Record (or change) the consent to show the representative's name and/or the phone on the portal.

    Both False withdraws the consent (the record is deleted: no record means nothing is shown). The
    producer's own account records its own consent; an officer recording it on the producer's behalf
    must name the evidence (signed form, letter). Audited; the public pages are refreshed (portal cache
    signals on PublicConsent). Returns the consent, or None after a withdrawal.
    """
    entity = _consent_target(user=user, entity=entity)
    if not show_representative and not show_phone:
        consent_withdraw(user=user, entity=entity)
        return None
    evidence = (evidence or "").strip()
    errors: dict[str, str] = {}
    if given_on is None:
        errors["given_on"] = "Hãy nhập ngày người đại diện đồng ý."
    elif given_on > timezone.localdate():
        errors["given_on"] = "Ngày đồng ý không được ở tương lai."
    if show_representative and not entity.representative:
        errors["show_representative"] = "Hồ sơ chủ thể chưa có họ tên người đại diện; hãy bổ sung trước."
    if show_phone and not entity.phone:
        errors["show_phone"] = "Hồ sơ chủ thể chưa có số điện thoại; hãy bổ sung trước."
    if not evidence and not _is_own_producer(user, entity):
        errors["evidence"] = (
            "Cán bộ ghi nhận thay chủ thể phải ghi căn cứ (số phiếu đồng ý, văn bản có chữ ký của người "
            "đại diện)."
        )
    if errors or given_on is None:
        raise ValidationError(errors)
    consent = PublicConsent.objects.select_for_update().filter(entity=entity).first()
    before = snapshot(consent) if consent else None
    if consent is None:
        consent = PublicConsent(entity=entity)
    consent.show_representative = show_representative
    consent.show_phone = show_phone
    consent.given_on = given_on
    consent.evidence = evidence
    consent.representative_consented = entity.representative if show_representative else ""
    consent.phone_consented = entity.phone if show_phone else ""
    consent.recorded_by = user
    consent.full_clean()
    consent.save()
    audit_saved(user=user, instance=consent, before=before)
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, entity: Entity) -> None:
    """Withdraw the consent (Law 91/2025: as easy as giving it: no date or evidence asked). Audited."""
    entity = _consent_target(user=user, entity=entity)
    consent = PublicConsent.objects.filter(entity=entity).first()
    if consent is None:
        return
    audit_delete(user=user, instance=consent)
    consent.delete()


def personal_view_record(*, user: User, instance: models.Model, fields: list[str]) -> None:
    """Audit that this user was shown these personal fields of this record unmasked (Law 91/2025:
    who viewed personal data). Nothing is recorded when nothing personal was shown."""
    shown = [name for name in fields if getattr(instance, name, "")]
    if shown:
        audit_record(
            user=user, action=AuditLog.Action.VIEW_PERSONAL, instance=instance, changes={"fields": shown}
        )


def personal_export_record(*, user: User, model_label: str, fields: list[str], description: str) -> None:
    """Audit an export that carried personal fields unmasked."""
    AuditLog.objects.create(
        user=user,
        username=user.username,
        action=AuditLog.Action.EXPORT,
        model_label=model_label,
        object_repr=description[:300],
        changes={"fields": fields},
    )
