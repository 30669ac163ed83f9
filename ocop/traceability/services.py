"""Writes of the traceability app: validate, check scope, save and audit in one transaction.

``user=None`` means the console (``ocop stamps …``), which runs with the operator's full rights."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ocop.core.audit import audit_create, audit_record, audit_update, snapshot
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.core.scoping import CHANGE
from ocop.products.models import Product

from . import codes
from .choices import STEP_DEFAULTS, StampStatus
from .issue import Issued, issue_codes
from .models import Batch, Stamp, StampAlert, TraceEvent

if TYPE_CHECKING:
    from ocop.accounts.models import User

BATCH_FIELDS = (
    "production_date",
    "expiry_date",
    "quantity",
    "raw_material_origin",
    "area_certificates",
)
EVENT_FIELDS = ("event_time", "quantity", "read_point", "biz_location", "commune", "note")

# Which status may become which (a revoked stamp never comes back).
TRANSITIONS: dict[str, set[str]] = {
    StampStatus.ACTIVE: {StampStatus.ISSUED},
    StampStatus.VOID: {StampStatus.ISSUED, StampStatus.ACTIVE},
    StampStatus.REVOKED: {StampStatus.ISSUED, StampStatus.ACTIVE, StampStatus.VOID},
}
ACTION_WORDS: dict[str, str] = {
    StampStatus.ACTIVE: "kích hoạt",
    StampStatus.VOID: "huỷ",
    StampStatus.REVOKED: "thu hồi",
}


def _check_product(*, user: User | None, product: Product) -> None:
    """``user`` None: the system (the console's ``stamps issue``), which reaches every product."""
    if user is not None and not Product.objects.for_user(user, CHANGE).filter(pk=product.pk).exists():
        raise ScopeError("Sản phẩm này nằm ngoài phạm vi của bạn.")


def _check_batch(*, user: User, batch: Batch) -> None:
    if user is not None and not Batch.objects.for_user(user, CHANGE).filter(pk=batch.pk).exists():
        raise ScopeError("Lô này nằm ngoài phạm vi của bạn.")


def _validate_batch(batch: Batch) -> None:
    errors: dict[str, str] = {}
    if not codes.lot_is_valid(batch.lot):
        errors["lot"] = (
            "Số lô chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới (tối đa 20 ký tự)."
        )
    if batch.production_date and batch.expiry_date and batch.expiry_date < batch.production_date:
        errors["expiry_date"] = "Hạn sử dụng không được trước ngày sản xuất."
    if errors:
        raise ValidationError(errors)
    batch.full_clean()


@transaction.atomic
def batch_create(
    *, user: User | None, product: Product, lot: str, data: dict[str, Any] | None = None
) -> Batch:
    _check_product(user=user, product=product)
    lot = (lot or "").strip()
    if Batch.objects.filter(product=product, lot=lot).exists():
        raise ValidationError({"lot": f"Sản phẩm này đã có lô {lot}."})
    fields = {k: v for k, v in (data or {}).items() if k in BATCH_FIELDS}
    batch = Batch(product=product, lot=lot, created_by=user, **fields)
    _validate_batch(batch)
    batch.save()
    audit_create(user=user, instance=batch)
    return batch


@transaction.atomic
def batch_update(*, user: User, batch: Batch, data: dict[str, Any]) -> Batch:
    _check_batch(user=user, batch=batch)
    before = snapshot(batch)
    for key, value in data.items():
        if key in BATCH_FIELDS:
            setattr(batch, key, value)
    _validate_batch(batch)
    batch.save()
    audit_update(user=user, instance=batch, before=before)
    return batch


def batch_get_or_create(*, product: Product, lot: str) -> tuple[Batch, bool]:
    """The console's ``stamps issue``: the lot is created when it does not exist yet."""
    existing = Batch.objects.filter(product=product, lot=lot).first()
    if existing is not None:
        return existing, False
    return batch_create(user=None, product=product, lot=lot), True


@transaction.atomic
def event_record(*, user: User, batch: Batch, biz_step: str, data: dict[str, Any]) -> TraceEvent:
    _check_batch(user=user, batch=batch)
    if biz_step not in STEP_DEFAULTS:
        raise ValidationError({"biz_step": "Công đoạn không hợp lệ."})
    event_type, action, disposition = STEP_DEFAULTS[biz_step]
    fields = {k: v for k, v in data.items() if k in EVENT_FIELDS}
    fields.setdefault("event_time", timezone.now())
    if fields["event_time"] and fields["event_time"] > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"event_time": "Thời điểm sự kiện không được ở tương lai."})
    event = TraceEvent(
        batch=batch,
        biz_step=biz_step,
        event_type=event_type,
        action=action,
        disposition=data.get("disposition") or disposition,
        **fields,
    )
    event.full_clean()
    event.save()
    audit_create(user=user, instance=event)
    return event


@transaction.atomic
def stamps_issue(
    *, user: User, batch: Batch, count: int, active: bool, base_url: str, csv_out: TextIO | None = None
) -> Issued:
    _check_batch(user=user, batch=batch)
    try:
        issued = issue_codes(batch=batch, count=count, active=active, base_url=base_url, csv_out=csv_out)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    audit_record(
        user=user,
        action=AuditLog.Action.CREATE,
        instance=batch,
        changes={
            "stamps": [None, f"{issued.count} tem số {issued.first_serial}–{issued.last_serial}"],
            "status": [None, StampStatus.ACTIVE if active else StampStatus.ISSUED],
        },
    )
    return issued


def _targeted(
    *, user: User, batch: Batch, status: str, stamp: Stamp | None, serials: tuple[int, int] | None
) -> tuple[QuerySet[Stamp], str]:
    """The stamps a status change is asked for (one stamp, a serial range, the whole batch) and how the audit
    row names them; refused with the reason."""
    _check_batch(user=user, batch=batch)
    if status not in TRANSITIONS:
        raise ValidationError("Trạng thái tem không hợp lệ.")
    qs = Stamp.objects.filter(batch=batch)
    target = "cả lô"
    if stamp is not None:
        if stamp.batch_id != batch.pk:
            raise ScopeError("Tem không thuộc lô này.")
        if stamp.status not in TRANSITIONS[status] and stamp.status != status:
            raise ValidationError(
                f"Không thể {ACTION_WORDS[status]} tem đang ở trạng thái “{stamp.get_status_display()}”."
            )
        qs, target = qs.filter(pk=stamp.pk), f"tem {stamp.serial}"
    elif serials is not None:
        low, high = serials
        if low > high:
            raise ValidationError("Khoảng số thứ tự không hợp lệ: số đầu lớn hơn số cuối.")
        qs, target = qs.filter(serial__gte=low, serial__lte=high), f"tem số {low}–{high}"
    return qs, target


@dataclass(frozen=True)
class StatusPlan:
    batch: Batch
    status: str
    count: int
    target: str

    def lines(self) -> list[str]:
        final = self.status in (StampStatus.VOID, StampStatus.REVOKED)
        action = ACTION_WORDS[self.status].capitalize()
        return [
            f"{action} {self.count} tem ({self.target}) của lô {self.batch.lot}.",
            *(
                ["Người mua quét các tem này sẽ được báo tem đã bị thu hồi hay huỷ, không nên mua."]
                if final
                else []
            ),
        ]


def stamps_status_plan(
    *,
    user: User,
    batch: Batch,
    status: str,
    stamp: Stamp | None = None,
    serials: tuple[int, int] | None = None,
) -> StatusPlan:
    """How many stamps a status change will change (those whose status allows it), or why not."""
    qs, target = _targeted(user=user, batch=batch, status=status, stamp=stamp, serials=serials)
    return StatusPlan(batch, status, qs.filter(status__in=TRANSITIONS[status]).count(), target)


@transaction.atomic
def stamps_set_status(
    *,
    user: User,
    batch: Batch,
    status: str,
    stamp: Stamp | None = None,
    serials: tuple[int, int] | None = None,
) -> int:
    """Activate, void or revoke one stamp, a serial range, or the whole batch; returns how many changed."""
    qs, target = _targeted(user=user, batch=batch, status=status, stamp=stamp, serials=serials)
    now = timezone.now()
    fields: dict[str, Any] = {"status": status, "updated_at": now}
    if status == StampStatus.ACTIVE:
        fields["activated_at"] = now
    changed = qs.filter(status__in=TRANSITIONS[status]).update(**fields)
    audit_record(
        user=user,
        action=AuditLog.Action.UPDATE,
        instance=batch,
        changes={"stamps": [target, f"{ACTION_WORDS[status]} {changed} tem"]},
    )
    return changed


@transaction.atomic
def alert_resolve(*, user: User, alert: StampAlert) -> StampAlert:
    if not StampAlert.objects.for_user(user, CHANGE).filter(pk=alert.pk).exists():
        raise ScopeError("Cảnh báo này nằm ngoài phạm vi của bạn.")
    if alert.resolved_at is None:
        before = snapshot(alert)
        alert.resolved_at = timezone.now()
        alert.resolved_by = user
        alert.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
        audit_update(user=user, instance=alert, before=before)
        if (
            alert.stamp_id
            and not StampAlert.objects.filter(stamp_id=alert.stamp_id, resolved_at__isnull=True).exists()
        ):
            Stamp.objects.filter(pk=alert.stamp_id).update(flagged=False)  # checked: not counterfeit
    return alert
