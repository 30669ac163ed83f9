"""Writes of the targets app: each is one atomic action that also writes its audit row."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ocop.core.audit import audit_create, audit_delete, audit_update, snapshot
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.legal.periods import REFORM_DATE

from .choices import Metric
from .models import Target

if TYPE_CHECKING:
    from ocop.accounts.models import User

# Decision 490/QĐ-TTg of 07/05/2018 started the programme: no plan period of it begins earlier.
PROGRAMME_START = dt.date(2018, 1, 1)


def _unit_errors(*, province: AdminUnit, unit: AdminUnit | None, start: dt.date) -> dict[str, str]:
    """A commune or district target: the unit lies in the province and existed when the period starts
    (districts and the old communes until 30/06/2025, the new communes from 01/07/2025)."""
    if unit is None:
        return {}
    if unit.level not in (Level.DISTRICT, Level.COMMUNE):
        return {
            "unit": f"“{unit.name}” không phải huyện hay xã/phường: chỉ tiêu đặt cho tỉnh, huyện hoặc xã."
        }
    if unit.province_id != province.pk:
        return {"unit": f"{unit.name} không thuộc {province.name}."}
    if unit.generation == Generation.LEGACY and start >= REFORM_DATE:
        what = "Cấp huyện" if unit.level == Level.DISTRICT else f"{unit.name} (trước sắp xếp)"
        return {
            "unit": f"{what} không còn từ 01/07/2025, nên không có chỉ tiêu cho kỳ bắt đầu {start:%d/%m/%Y}."
        }
    if unit.generation == Generation.REFORM_2025 and start < REFORM_DATE:
        return {
            "unit": f"{unit.name} mới có từ 01/07/2025; kỳ bắt đầu {start:%d/%m/%Y} "
            "thì đặt cho xã cũ hoặc huyện."
        }
    return {}


def target_check(
    *,
    province: AdminUnit,
    metric: str,
    value: Any,
    start: dt.date,
    deadline: dt.date,
    unit: AdminUnit | None = None,
) -> None:
    """Vietnamese messages for what `targets set`, the form and the API refuse: a unit that is not a
    province (or a district/commune of it existing in that period), an unknown metric, a value that is not a
    positive whole number, a period that does not exist (ends before it starts, or starts before the
    programme)."""
    errors: dict[str, str] = {}
    if province.level != Level.PROVINCE:
        errors["province"] = "Chỉ tiêu chỉ đặt cho cấp tỉnh."
    if metric not in Metric.values:
        errors["metric"] = f"Chỉ tiêu “{metric}” không có; chọn một trong: {', '.join(Metric.values)}."
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        errors["value"] = f"Giá trị kế hoạch phải là số nguyên dương (nhận được {value})."
    if deadline < start:
        errors["deadline"] = (
            f"Ngày kết thúc {deadline:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}: kỳ không có."
        )
    elif start < PROGRAMME_START:
        errors["start"] = f"Kỳ bắt đầu {start:%d/%m/%Y}, trước khi có Chương trình OCOP (2018)."
    if "province" not in errors:
        errors.update(_unit_errors(province=province, unit=unit, start=start))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_set(
    *,
    user: User,
    province: AdminUnit,
    metric: str,
    value: int,
    start: dt.date,
    deadline: dt.date,
    unit: AdminUnit | None = None,
) -> tuple[Target, bool]:
    """Set a target of a province (or of one of its districts/communes) for a period; the same unit + metric
    + period again replaces the value. Returns (target, created)."""
    target_check(province=province, metric=metric, value=value, start=start, deadline=deadline, unit=unit)
    target = (
        Target.objects.select_for_update()
        .filter(province=province, unit=unit, metric=metric, start=start, deadline=deadline)
        .first()
    )
    if target is None:
        target = Target(
            province=province, unit=unit, metric=metric, value=value, start=start, deadline=deadline
        )
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
