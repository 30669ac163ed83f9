"""Writes of the targets app: each is one atomic action that also writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from ocop.core.audit import audit_create, audit_delete, audit_update, snapshot
from ocop.geography.models import AdminUnit, Level

from .choices import Metric
from .models import Target

if TYPE_CHECKING:
    from ocop.accounts.models import User


def target_check(*, province: AdminUnit, metric: str, value: int, start: dt.date, deadline: dt.date) -> None:
    """Vietnamese messages for what `targets set`, the form and the API refuse."""
    errors: dict[str, str] = {}
    if province.level != Level.PROVINCE:
        errors["province"] = "Chỉ tiêu chỉ đặt cho cấp tỉnh."
    if metric not in Metric.values:
        errors["metric"] = f"Chỉ tiêu “{metric}” không có; chọn một trong: {', '.join(Metric.values)}."
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        errors["value"] = f"Giá trị kế hoạch phải là số nguyên dương (nhận được {value})."
    if deadline < start:
        errors["deadline"] = f"Ngày kết thúc {deadline:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_set(
    *, user: User, province: AdminUnit, metric: str, value: int, start: dt.date, deadline: dt.date
) -> tuple[Target, bool]:
    """Set a province's target for a period; the same province + metric + period again replaces the value.
    Returns (target, created)."""
    target_check(province=province, metric=metric, value=value, start=start, deadline=deadline)
    target = (
        Target.objects.select_for_update()
        .filter(province=province, metric=metric, start=start, deadline=deadline)
        .first()
    )
    if target is None:
        target = Target(province=province, metric=metric, value=value, start=start, deadline=deadline)
        target.full_clean()
        target.save()
        audit_create(user=user, instance=target)
        return target, True
    before = snapshot(target)
    if target.value != value:
        target.value = value
        target.full_clean()
        target.save(update_fields=["value", "updated_at"])
        audit_update(user=user, instance=target, before=before)
    return target, False


@transaction.atomic
def target_delete(*, user: User, target: Target) -> None:
    audit_delete(user=user, instance=target)
    target.delete()
