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
        "product",
        "product__entity",
        "product__commune",
        "product__commune__province",
        "product__commune__parent",
        "product__commune__successor__province",
        "event",
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
    """Whether this user may revoke this product on ``day``: it is recognised then, in the user's scope, and
    the periods table lets the user's role revoke the level that recognises its star on that day."""
    from ocop.legal.authority import role_of
    from ocop.legal.periods import REVOKE, NoPeriod, period_on

    from .history import lines_of, state_on

    events = RecognitionEvent.objects.for_user(user, CHANGE).filter(product=product)
    state = state_on(lines_of(events), day)
    if not state.recognised or not state.stars:
        return False
    try:
        period = period_on(day)
    except NoPeriod:
        return False
    level = period.decider(state.stars)
    return level is not None and period.allows(REVOKE, level, role_of(user))


def may_record_history(*, user, product) -> bool:
    """Whether the user may type in an issued decision for this product at some date (the form then checks
    the level of that date's decision)."""
    from ocop.legal.authority import role_of
    from ocop.legal.periods import PERIODS, RECORD
    from ocop.products.models import Product

    role = role_of(user)
    recorders = {
        r for p in PERIODS for (step, _level), roles in p.acts.items() if step == RECORD for r in roles
    }
    if role != "admin" and role not in recorders:
        return False
    return Product.objects.for_user(user, CHANGE).filter(pk=product.pk).exists()


def certificate_issuers(certificates) -> dict[int, object]:
    """The issuer of each certificate's decision (for lists), by certificate id."""
    from .documents import issuer_of_event

    return {c.pk: issuer_of_event(c.event) for c in certificates}
