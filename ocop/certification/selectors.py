from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ocop.core.scoping import CHANGE

from .choices import CertificateStatus, EventKind
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


# -- public figures (portal) ---------------------------------------------------------------------------------
def in_force_stars_by_province(*, day: dt.date) -> dict[int, dict[int, int]]:
    """Province id → {stars: products in force on ``day``} in the generation of ``day``: the 63 legacy
    provinces before 01/07/2025, the 34 provinces of 2025 from then (a product registered under a legacy
    commune counts in its successor's province, SPEC §3).

    In force on D: a certificate with valid_from ≤ D ≤ valid_to that had not ended on D — the certificate of
    the product's latest decision line on or before D (a later line ends it), so this is SPEC §3's rule
    without reading each product's history."""
    from ocop.geography.models import Generation
    from ocop.geography.resolver import REFORM_DATE
    from ocop.geography.selectors import commune_provinces

    legacy_day = day < REFORM_DATE
    rows = (
        Certificate.objects.filter(valid_from__lte=day, valid_to__gte=day)
        .filter(not_ended_on(day))
        .values_list("product__commune_id", "stars")
        .annotate(n=Count("id"))
        .order_by()
    )
    provinces = commune_provinces()
    counts: dict[int, dict[int, int]] = {}
    for commune_id, stars, n in rows:
        place = provinces.get(commune_id)
        if place is None:
            continue
        if legacy_day:
            province = place.province_id if place.generation == Generation.LEGACY else None
        elif place.generation == Generation.LEGACY:
            province = place.successor_province_id
        else:
            province = place.province_id
        if province is None:
            continue
        by_star = counts.setdefault(province, {})
        by_star[stars] = by_star.get(stars, 0) + n
    return counts


class RecognisedProduct(NamedTuple):
    """A product ever recognised (3–5★), as published in the open data: its latest certificate's decision."""

    id: int
    name: str
    entity: str
    entity_type: str
    group: str
    stars: int
    status: str  # CertificateStatus: in_force | expired | revoked
    valid_until: dt.date
    decision_number: str
    decision_date: dt.date
    commune_id: int


def recognised_products(*, day: dt.date, chunk: int = 2000) -> Iterator[list[RecognisedProduct]]:
    """Every product that ever held an OCOP certificate, by id, in lists of ``chunk`` (for streaming).

    Status on ``day``: revoked when its latest decision line is a revocation; in force when its latest
    certificate covers ``day`` and has not ended; otherwise expired (lapsed, or replaced by a result below
    3★). Public data only: names of products and entities, units, decisions — no personal field
    (``ocop.privacy.registry``)."""
    from ocop.products.models import Product

    ids = list(Certificate.objects.order_by("product_id").values_list("product_id", flat=True).distinct())
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        low, high = part[0], part[-1]
        latest: dict[int, tuple] = {}
        for row in (
            Certificate.objects.filter(product_id__gte=low, product_id__lte=high)
            .order_by("product_id", "valid_from", "id")
            .values_list(
                "product_id",
                "stars",
                "valid_from",
                "valid_to",
                "ended_on",
                "event__decision_number",
                "event__decision_date",
            )  # fmt: skip
        ):
            latest[row[0]] = row
        # Revoked: the latest decision line on or before the day is a revocation (also one that came after the
        # certificate had lapsed, which does not end the certificate).
        last_kind: dict[int, str] = {}
        for product_id, kind in (
            RecognitionEvent.objects.filter(product_id__gte=low, product_id__lte=high, decision_date__lte=day)
            .order_by("product_id", "decision_date", "id")
            .values_list("product_id", "kind")
        ):
            last_kind[product_id] = kind
        products = (
            Product.objects.filter(pk__gte=low, pk__lte=high)
            .order_by("pk")
            .values_list("pk", "name", "entity__name", "entity__entity_type", "group_code", "commune_id")
        )
        rows = []
        for pk, name, entity, entity_type, group, commune_id in products:
            certificate = latest.get(pk)
            if certificate is None:
                continue
            _pk, stars, valid_from, valid_to, ended_on, number, decided = certificate
            if last_kind.get(pk) == EventKind.REVOCATION:
                status = CertificateStatus.REVOKED
            elif ended_on is not None and ended_on <= day:
                status = CertificateStatus.EXPIRED  # replaced by a result below 3★
            elif valid_from <= day <= valid_to:
                status = CertificateStatus.IN_FORCE
            else:
                status = CertificateStatus.EXPIRED
            rows.append(
                RecognisedProduct(
                    pk,
                    name,
                    entity,
                    entity_type,
                    group,
                    stars,
                    str(status),
                    valid_to,
                    number,
                    decided,
                    commune_id,
                )
            )
        yield rows


def recognised_product_count() -> int:
    """Products that ever held an OCOP certificate (the rows of ``recognised_products``)."""
    return Certificate.objects.values("product_id").distinct().count()


def last_recognition_change() -> dt.datetime | None:
    """When the latest decision line was recorded (by id: the primary key's index, no scan)."""
    return RecognitionEvent.objects.order_by("-id").values_list("created_at", flat=True).first()
