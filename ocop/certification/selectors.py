from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from ocop.core.scoping import CHANGE

from .choices import CertificateStatus
from .models import Certificate, ExpiryNotice, RecognitionEvent
from .validity import REMINDER_DAYS

LIST_STATUSES = {
    "expiring": "Sắp hết hạn",
    "lapsed": "Hết hạn chưa công nhận lại",
    "in_force": "Còn hiệu lực",
    "revoked": "Đã thu hồi",
}


def not_ended_on(day: dt.date) -> Q:
    return Q(ended_on__isnull=True) | Q(ended_on__gt=day)


def certificate_list(
    *, user, status: str, day: dt.date, within_days: int = REMINDER_DAYS
) -> QuerySet[Certificate]:
    qs = Certificate.objects.for_user(user).select_related(
        "product", "product__entity", "product__commune", "product__commune__province", "event"
    )
    in_force = Q(valid_from__lte=day, valid_to__gte=day) & not_ended_on(day)
    if status == "in_force":
        return qs.filter(in_force).order_by("valid_to", "id")
    if status == "expiring":
        return qs.filter(in_force, valid_to__lte=day + dt.timedelta(days=within_days)).order_by(
            "valid_to", "id"
        )
    if status == "revoked":
        return qs.filter(end_reason=CertificateStatus.REVOKED, ended_on__lte=day).order_by("-ended_on", "id")
    if status == "lapsed":
        newer = Certificate.objects.filter(
            product=OuterRef("product"), valid_from__gt=OuterRef("valid_from"), valid_from__lte=day
        )
        later_event = RecognitionEvent.objects.filter(
            product=OuterRef("product"), decision_date__gt=OuterRef("valid_from"), decision_date__lte=day
        )
        return (
            qs.filter(valid_to__lt=day)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
            .exclude(Exists(newer))
            .exclude(Exists(later_event))
            .order_by("-valid_to", "id")
        )
    raise ValueError(f"Trạng thái không hợp lệ: {status}")


def product_history(*, user, product) -> list[RecognitionEvent]:
    return list(
        RecognitionEvent.objects.for_user(user)
        .filter(product=product)
        .select_related("certificate")
        .order_by("decision_date", "id")
    )


def notice_list(*, user) -> QuerySet[ExpiryNotice]:
    return ExpiryNotice.objects.for_user(user).select_related(
        "certificate", "certificate__product", "certificate__product__entity"
    )


def unread_notice_count(*, user) -> int:
    """Notices not yet opened by this user (JSON containment is not portable to SQLite, so count here)."""
    if not user.is_authenticated:
        return 0
    notices = ExpiryNotice.objects.for_user(user).only("id", "read_by")
    return sum(1 for notice in notices if user.pk not in notice.read_by)


def revocation_list(*, user) -> QuerySet[RecognitionEvent]:
    from .choices import EventKind

    return (
        RecognitionEvent.objects.for_user(user)
        .filter(kind=EventKind.REVOCATION)
        .select_related("product", "product__entity", "product__commune", "product__commune__province")
        .order_by("-decision_date", "decision_number", "id")
    )


def revocable_now(*, user, product, day: dt.date) -> bool:
    """Whether this user may revoke this product today: a province officer (or admin) of its province,
    and the product is recognised on that day."""
    from ocop.accounts.roles import Role

    from .history import lines_of, state_on

    if not (user.is_admin_role or user.role == Role.PROVINCE_OFFICER):
        return False
    events = RecognitionEvent.objects.for_user(user, CHANGE).filter(product=product)
    return state_on(lines_of(events), day).recognised
