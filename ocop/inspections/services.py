"""Writes of inspections after recognition: validate, check the scope, save, audit — one transaction each.

Rules: only a province's officers (and admins) plan; a product enters a plan, and an inspection is recorded,
only if the product is recognised (3–5★, not revoked) on that date — the due date, then the day of the
inspection; "needs fixing" needs a deadline after the inspection, a serious breach the findings that justify
it. A serious breach leads to a revocation through certification's own service (its rules unchanged), and
the inspection keeps the decision.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ocop.accounts.roles import keeps_records
from ocop.certification.history import lines_of, state_on
from ocop.certification.models import RecognitionEvent
from ocop.core.audit import audit_create, audit_delete, audit_saved, snapshot
from ocop.core.errors import ScopeError
from ocop.core.scoping import CHANGE
from ocop.products.models import Product
from ocop.targets.selectors import province_planner

from .choices import CHECKLIST, FINDING_FIELDS, Check, Verdict
from .models import Inspection, InspectionPlan

if TYPE_CHECKING:
    from ocop.accounts.models import User
    from ocop.certification.services.events import RevocationPlan


def recognised_on(product: Product, day: dt.date) -> bool:
    return state_on(lines_of(RecognitionEvent.objects.filter(product=product)), day).recognised


def _require_recognised(product: Product, day: dt.date, field: str) -> None:
    if not recognised_on(product, day):
        raise ValidationError(
            {field: f"Sản phẩm “{product.name}” không được công nhận OCOP vào ngày {day:%d/%m/%Y}."}
        )


@transaction.atomic
def plan_save(
    *,
    user: User,
    province: Any,
    year: int,
    title: str,
    decision: str = "",
    note: str = "",
    pk: int | None = None,
) -> InspectionPlan:
    if not province_planner(user=user, province=province):
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này lập kế hoạch kiểm tra.")
    plan: InspectionPlan | None
    if pk is None:
        plan, before = InspectionPlan(province=province), None
    else:
        plan = InspectionPlan.objects.select_for_update().filter(pk=pk, province=province).first()
        if plan is None:
            raise ScopeError("Không tìm thấy kế hoạch.")
        before = snapshot(plan)
    this_year = timezone.localdate().year
    if not 2018 <= year <= this_year + 1:
        raise ValidationError({"year": f"Năm kế hoạch phải từ 2018 đến {this_year + 1}."})
    plan.year, plan.title, plan.decision, plan.note = year, title.strip(), decision.strip(), note.strip()
    plan.full_clean()
    plan.save()
    audit_saved(user=user, instance=plan, before=before)
    return plan


@transaction.atomic
def inspection_plan_product(
    *, user: User, plan: InspectionPlan, product: Product, due_date: dt.date
) -> Inspection:
    """Put a product in a plan with its due date (inside the plan's year)."""
    if not province_planner(user=user, province=plan.province):
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này lập kế hoạch kiểm tra.")
    if not Product.objects.for_user(user, CHANGE).filter(pk=product.pk).exists():
        raise ScopeError("Sản phẩm này nằm ngoài phạm vi của bạn.")
    from ocop.geography.selectors import unit_covers_commune

    if not unit_covers_commune(plan.province, product.commune_id):
        raise ValidationError({"product": f"Sản phẩm “{product.name}” không thuộc {plan.province.name}."})
    if due_date.year != plan.year:
        raise ValidationError({"due_date": f"Hạn kiểm tra phải trong năm {plan.year} của kế hoạch."})
    _require_recognised(product, due_date, "due_date")
    inspection = Inspection(plan=plan, product=product, due_date=due_date)
    inspection.full_clean()
    inspection.save()
    audit_create(user=user, instance=inspection)
    return inspection


@transaction.atomic
def inspection_unplan(*, user: User, inspection: Inspection) -> None:
    if not province_planner(user=user, province=inspection.plan.province):
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này sửa kế hoạch kiểm tra.")
    if inspection.is_done:
        raise ValidationError("Lượt kiểm tra đã có kết quả, không bỏ khỏi kế hoạch được.")
    audit_delete(user=user, instance=inspection)
    inspection.delete()


def _check_findings(inspection: Inspection, *, today: dt.date) -> None:
    errors: dict[str, str] = {}
    day = inspection.inspected_on
    if day is None:
        errors["inspected_on"] = "Cần ngày kiểm tra."
    elif day > today:
        errors["inspected_on"] = "Ngày kiểm tra không được sau hôm nay."
    if not inspection.verdict:
        errors["verdict"] = "Cần kết luận của đoàn kiểm tra."
    unchecked = [label for name, label in CHECKLIST if not getattr(inspection, name)]
    if unchecked:
        errors["findings"] = "Chưa đánh giá: " + ", ".join(unchecked) + "."
    issues = [label for name, label in CHECKLIST if getattr(inspection, name) == Check.ISSUE]
    if inspection.verdict == Verdict.COMPLIES and issues:
        errors["verdict"] = "Có nội dung không đạt (" + ", ".join(issues) + "): kết luận không thể là “đạt”."
    if inspection.verdict == Verdict.NEEDS_FIXING:
        if inspection.fix_by is None:
            errors["fix_by"] = "Cần hạn khắc phục."
        elif day and inspection.fix_by <= day:
            errors["fix_by"] = "Hạn khắc phục phải sau ngày kiểm tra."
    elif inspection.fix_by is not None and inspection.verdict:
        errors["fix_by"] = "Chỉ ghi hạn khắc phục khi kết luận là phải khắc phục."
    if (
        inspection.verdict in (Verdict.NEEDS_FIXING, Verdict.SERIOUS_BREACH)
        and not inspection.findings.strip()
    ):
        errors["findings"] = "Cần ghi nội dung phát hiện làm căn cứ kết luận."
    if errors:
        raise ValidationError(errors)
    assert day is not None  # a missing date is among the errors raised above
    _require_recognised(inspection.product, day, "inspected_on")


@transaction.atomic
def inspection_record(
    *, user: User, pk: int, data: dict[str, Any], today: dt.date | None = None
) -> Inspection:
    """Record (or correct) an inspection's findings, verdict and evidence."""
    inspection = (
        Inspection.objects.for_user(user, CHANGE)
        .select_for_update()
        .select_related("product")
        .filter(pk=pk)
        .first()
    )
    if inspection is None or not keeps_records(user):
        raise ScopeError("Không tìm thấy lượt kiểm tra trong phạm vi của bạn.")
    if inspection.revocation_id:
        raise ValidationError("Lượt kiểm tra đã dẫn tới quyết định thu hồi; không sửa kết quả được nữa.")
    before = snapshot(inspection)
    for name in FINDING_FIELDS:
        if name in data and not (name == "evidence" and not data[name]):
            setattr(inspection, name, data[name].strip() if isinstance(data[name], str) else data[name])
    inspection.recorded_by = user if getattr(user, "pk", None) else None
    _check_findings(inspection, today=today or timezone.localdate())
    inspection.full_clean()
    inspection.save()
    audit_saved(user=user, instance=inspection, before=before)
    return inspection


def _revocable(user: User, pk: int, date: dt.date, *, lock: bool) -> Inspection:
    qs = Inspection.objects.for_user(user, CHANGE).filter(pk=pk)
    inspection = (qs.select_for_update() if lock else qs.select_related("product__entity")).first()
    if inspection is None:
        raise ScopeError("Không tìm thấy lượt kiểm tra trong phạm vi của bạn.")
    if inspection.verdict != Verdict.SERIOUS_BREACH:
        raise ValidationError("Chỉ lượt kiểm tra kết luận vi phạm nghiêm trọng mới dẫn tới thu hồi.")
    if inspection.revocation_id:
        raise ValidationError("Lượt kiểm tra này đã có quyết định thu hồi.")
    if inspection.inspected_on and date < inspection.inspected_on:
        raise ValidationError({"date": "Quyết định thu hồi không thể trước ngày kiểm tra."})
    return inspection


def inspection_revoke_plan(
    *, user: User, pk: int, number: str, date: dt.date, reason: str, signer: str = ""
) -> RevocationPlan:
    """What revoking after this inspection will do (certification's ``revocation_plan``), or why not."""
    from ocop.certification.services.events import revocation_plan

    inspection = _revocable(user, pk, date, lock=False)
    try:
        return revocation_plan(
            user=user, product=inspection.product, number=number, date=date, reason=reason, signer=signer
        )
    except PermissionDenied as exc:
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này ra quyết định thu hồi.") from exc


@transaction.atomic
def inspection_revoke(
    *, user: User, pk: int, number: str, date: dt.date, reason: str, signer: str = ""
) -> RecognitionEvent:
    """A serious breach leads to revoking the product's recognition: certification's ``revocation_decide``
    decides (its rules and permissions), and the inspection keeps the decision."""
    from ocop.certification.services.events import revocation_decide

    inspection = _revocable(user, pk, date, lock=True)
    try:
        event = revocation_decide(
            user=user, product=inspection.product, number=number, date=date, reason=reason, signer=signer
        )
    except PermissionDenied as exc:
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này ra quyết định thu hồi.") from exc
    before = snapshot(inspection)
    inspection.revocation = event
    inspection.save(update_fields=["revocation", "updated_at"])
    audit_saved(user=user, instance=inspection, before=before)
    return event
