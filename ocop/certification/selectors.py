from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ocop.core.bulk import sql_names
from ocop.core.scoping import CHANGE

from .choices import CertificateStatus, EventKind
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


# -- public figures (portal) ---------------------------------------------------------------------------------
def in_force_stars_by_province(*, day: dt.date) -> dict[int, dict[int, int]]:
    """Province id → {stars: products in force on ``day``} in the generation of ``day``: the 63 legacy
    provinces before 01/07/2025, the 34 provinces of 2025 from then (a product registered under a legacy
    commune counts in its successor's province, SPEC §3).

    In force on D: a certificate with valid_from ≤ D ≤ valid_to that had not ended on D — the certificate of
    the product's latest decision line on or before D (a later line ends it), so this is SPEC §3's rule
    without reading each product's history."""
    from ocop.geography.models import Generation
    from ocop.geography.selectors import commune_provinces
    from ocop.legal.periods import REFORM_DATE

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
        latest: dict[int, tuple[Any, ...]] = {}
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
