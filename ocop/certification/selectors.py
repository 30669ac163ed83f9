from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from ocop.core.bulk import sql_names
from ocop.core.scoping import CHANGE

from .choices import CertificateStatus
from .models import Certificate, ExpiryNotice, RecognitionEvent
from .validity import REMINDER_DAYS

if TYPE_CHECKING:
    from ocop.accounts.models import User
    from ocop.products.models import Product

LIST_STATUSES = {
    "expiring": "Sắp hết hạn",
    "lapsed": "Hết hạn chưa công nhận lại",
    "in_force": "Còn hiệu lực",
    "revoked": "Đã thu hồi",
}


def not_ended_on(day: dt.date) -> Q:
    return Q(ended_on__isnull=True) | Q(ended_on__gt=day)


def certificate_list(
    *, user: User, status: str, day: dt.date, within_days: int = REMINDER_DAYS
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


def product_history(*, user: User, product: Product) -> list[RecognitionEvent]:
    return list(
        RecognitionEvent.objects.for_user(user)
        .filter(product=product)
        .select_related("certificate")
        .order_by("decision_date", "id")
    )


def notice_list(*, user: User) -> QuerySet[ExpiryNotice]:
    return ExpiryNotice.objects.for_user(user).select_related(
        "certificate", "certificate__product", "certificate__product__entity"
    )


def unread_notice_count(*, user: User) -> int:
    """Notices not yet opened by this user (JSON containment is not portable to SQLite, so count here)."""
    if not user.is_authenticated:
        return 0
    notices = ExpiryNotice.objects.for_user(user).only("id", "read_by")
    return sum(1 for notice in notices if user.pk not in notice.read_by)


def revocation_list(*, user: User) -> QuerySet[RecognitionEvent]:
    from .choices import EventKind

    return (
        RecognitionEvent.objects.for_user(user)
        .filter(kind=EventKind.REVOCATION)
        .select_related("product", "product__entity", "product__commune", "product__commune__province")
        .order_by("-decision_date", "decision_number", "id")
    )


def revocable_now(*, user: User, product: Product, day: dt.date) -> bool:
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


def may_record_history(*, user: User, product: Product) -> bool:
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


def certificate_issuers(certificates: Iterable[Certificate]) -> dict[int, object]:
    """The issuer of each certificate's decision (for lists), by certificate id."""
    from .documents import issuer_of_event

    return {c.pk: issuer_of_event(c.event) for c in certificates}


# -- what the public portal lists -----------------------------------------------------------------------
# A product is listed on the portal while its recognition stands: its latest certificate (by valid_from,
# then id) has not been ended — revoked, or replaced by a non-OCOP result. In force or expired alike.
LatestCertificate = tuple[int, int, str, Any, Any, Any]  # id, stars, number, valid_from, valid_to, ended_on


def recognition_stands(latest: LatestCertificate) -> bool:
    """Whether a product whose latest certificate is ``latest`` is listed publicly."""
    return latest[5] is None


def latest_certificates(*, product_ids: list[int]) -> dict[int, LatestCertificate]:
    """The latest certificate of each of these products that has one, as plain values (dates as the
    database returns them: SQLite's ISO text). Plain SQL on a cursor: the listing refresh asks for 20,000
    products per import, where building an ORM query per chunk of 500 costs more than the query itself."""
    if not product_ids:
        return {}
    table, (c_product, c_id, c_stars, c_number, c_from, c_to, c_ended) = sql_names(
        Certificate, "product", "id", "stars", "number", "valid_from", "valid_to", "ended_on"
    )
    marks = ", ".join(["%s"] * len(product_ids))
    latest: dict[int, LatestCertificate] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            # Only quoted names from the model's own metadata and %s placeholders are formatted in.
            f"SELECT {c_product}, {c_id}, {c_stars}, {c_number}, {c_from}, {c_to}, {c_ended} "  # noqa: S608
            f"FROM {table} WHERE {c_product} IN ({marks}) ORDER BY {c_from}, {c_id}",
            product_ids,
        )
        for product_id, *certificate in cursor.fetchall():
            latest[product_id] = tuple(certificate)
    return latest


def certified_product_ids() -> set[int]:
    """Every product that has at least one certificate (the portal's full rebuild starts from these)."""
    return set(Certificate.objects.values_list("product_id", flat=True).distinct())


def entity_listed(*, entity_id: int) -> bool:
    """Whether at least one product of this entity is listed publicly (see ``recognition_stands``)."""
    ids = list(Certificate.objects.filter(product__entity_id=entity_id).values_list("product_id", flat=True))
    return any(recognition_stands(c) for c in latest_certificates(product_ids=sorted(set(ids))).values())


def latest_event(*, product_id: int) -> RecognitionEvent | None:
    """A product's latest recognition decision (published: decisions are public), with its product and
    entity, or None."""
    return (
        RecognitionEvent.objects.filter(product_id=product_id)
        .select_related("product", "product__entity")
        .order_by("-decision_date", "-id")
        .first()
    )
