from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ocop.core.audit import audit_create
from ocop.core.bulk import BulkInsert, StoredDates, chunks, id_set, sql_names
from ocop.core.scoping import CHANGE
from ocop.core.signals import notify_products_changed

from .choices import CertificateStatus, EventKind, IssuingLevel
from .history import (
    CONTRADICTION,
    OCOP_MIN_STARS,
    Line,
    RecordedDecisions,
    check_line,
    infer_kind,
    line_problems,
    lines_of,
)
from .models import Certificate, RecognitionEvent
from .selectors import not_ended_on
from .validity import valid_until

if TYPE_CHECKING:
    from ocop.accounts.models import User
    from ocop.products.models import Product


@transaction.atomic
def event_record(
    *,
    product: Product,
    stars: int | None,
    decision_date: dt.date,
    kind: str | None = None,
    score: Decimal | None = None,
    decision_number: str = "",
    issuing_level: str = "",
    source: str = "",
    reason: str = "",
    signer: str = "",
    user: User | None = None,
) -> tuple[RecognitionEvent, bool]:
    """Add one decision line to a product's history (idempotent) and bring its certificates up to date.

    Returns (event, created): a decision already recorded (``history.RecordedDecisions``, the import's rule
    too) is returned as it is. Raises ValidationError with a Vietnamese message when the line breaks the
    history rules (``history.line_problems``, ``check_line``: upgrade to a lower star, revoking what is not
    recognised, score outside the band).
    """
    existing = list(RecognitionEvent.objects.select_for_update().filter(product=product))
    recorded = RecordedDecisions()
    for stored in existing:
        recorded.add(stored.kind, stored.decision_date, stored.decision_number, stored.stars, stored)
    same = recorded.find(kind, decision_date, decision_number, stars)
    if isinstance(same, RecognitionEvent):
        return same, False
    history = lines_of(existing)
    kind = kind or infer_kind(history, stars or 0, decision_date)
    problems = line_problems(kind=kind, stars=stars, score=score)
    if problems:
        raise ValidationError(dict(problems))
    if recorded.contradicts(kind, decision_date, decision_number):
        raise ValidationError(CONTRADICTION)
    problem = check_line(history, Line(kind, stars, decision_date, order=10**9))
    if problem:
        raise ValidationError(problem)
    event = RecognitionEvent(
        product=product,
        kind=kind,
        stars=stars,
        score=score,
        decision_number=decision_number,
        decision_date=decision_date,
        issuing_level=issuing_level,
        source=source,
        reason=reason,
        signer=signer,
    )
    event.full_clean()
    event.save()
    if user is not None:
        audit_create(user=user, instance=event)
    certificates_sync(product_ids=[product.pk])
    return event, True


@transaction.atomic
def revocation_decide(
    *, user, product, number: str, date: dt.date, reason: str, signer: str = "", today: dt.date | None = None
) -> RecognitionEvent:
    """A province officer records a decision revoking a product's recognition, with its reason; the
    product's certificate ends on the decision date and the portal stops listing it."""
    from ocop.accounts.roles import Role
    from ocop.products.models import Product

    if not (user.is_admin_role or user.role == Role.PROVINCE_OFFICER):
        raise PermissionDenied
    if not Product.objects.for_user(user, CHANGE).filter(pk=product.pk).exists():
        raise PermissionDenied
    errors = {}
    if not number.strip():
        errors["number"] = "Cần số quyết định thu hồi."
    if not reason.strip():
        errors["reason"] = "Cần nêu lý do thu hồi."
    if date > (today or timezone.localdate()):
        errors["date"] = "Ngày quyết định không được sau hôm nay."
    if errors:
        raise ValidationError(errors)
    event, created = event_record(
        product=product,
        stars=None,
        kind=EventKind.REVOCATION,
        decision_date=date,
        decision_number=number.strip(),
        issuing_level=IssuingLevel.PROVINCE,
        source="Quyết định thu hồi",
        reason=reason.strip(),
        signer=signer.strip(),
        user=user,
    )
    if not created:
        raise ValidationError("Quyết định thu hồi này đã được ghi nhận.")
    return event


class CertificateValues(NamedTuple):
    """The fields of the certificate an event gives (a NamedTuple: an import works out tens of thousands)."""

    product_id: int
    stars: int
    number: str
    valid_from: dt.date
    valid_to: dt.date
    ended_on: dt.date | None
    end_reason: str


class EventLine(NamedTuple):
    """What ``certificate_values`` reads of a RecognitionEvent."""

    pk: int
    product_id: int
    kind: str
    stars: int | None
    decision_date: dt.date
    decision_number: str


_DATE_THEN_ID = attrgetter("decision_date", "pk")
_CERTIFICATE_FIELDS = ("stars", "number", "valid_from", "valid_to", "ended_on", "end_reason")


def certificate_values(events: Iterable[EventLine | RecognitionEvent]) -> dict[int, CertificateValues]:
    """Certificate fields per event id, from the events of one product: an OCOP star (3–5) gives a
    certificate of 36 months, ended early by the next event within them (revoked by a revocation,
    superseded by anything else). The one rule of certificates: ``certificates_sync`` applies it."""
    desired: dict[int, CertificateValues] = {}
    ordered = sorted(events, key=_DATE_THEN_ID)
    last = len(ordered) - 1
    for index, event in enumerate(ordered):
        if event.kind == EventKind.REVOCATION or (event.stars or 0) < OCOP_MIN_STARS:
            continue
        valid_to = valid_until(event.decision_date)
        ended_on, end_reason = None, ""
        following = ordered[index + 1] if index < last else None
        if following is not None and following.decision_date <= valid_to:
            ended_on = following.decision_date
            end_reason = (
                CertificateStatus.REVOKED
                if following.kind == EventKind.REVOCATION
                else CertificateStatus.SUPERSEDED
            )
        desired[event.pk] = CertificateValues(
            event.product_id,
            event.stars,
            event.decision_number,
            event.decision_date,
            valid_to,
            ended_on,
            end_reason,
        )
    return desired


@transaction.atomic
def certificates_sync(*, product_ids: Iterable[int]) -> None:
    """Make the certificates of these products exactly what their events imply (idempotent), then tell the
    read models (``notify_products_changed``).

    Set-based, for a form's one product as for an import's twenty thousand: events and certificates read as
    plain values (one query each, ``id_set``), new certificates written with ``BulkInsert``, changed ones
    with one executemany, vanished ones deleted."""
    ids = sorted({int(pk) for pk in product_ids})
    events: dict[int, list[EventLine]] = defaultdict(list)
    existing: dict[int, tuple] = {}
    for values in (
        RecognitionEvent.objects.filter(product_id__in=id_set(ids))
        .order_by()
        .values_list("id", "product_id", "kind", "stars", "decision_date", "decision_number")
    ):
        events[values[1]].append(EventLine(*values))
    for pk, event_id, *values in (
        Certificate.objects.filter(product_id__in=id_set(ids))
        .order_by()
        .values_list("id", "event_id", "product_id", *_CERTIFICATE_FIELDS)
    ):
        existing[event_id] = (pk, *values)
    desired: dict[int, CertificateValues] = {}
    for product_events in events.values():
        desired.update(certificate_values(product_events))
    now = timezone.now()
    day = StoredDates().__getitem__
    created, updated = [], []
    for event_id, values in desired.items():
        stored = existing.pop(event_id, None)
        if stored is None:
            created.append((event_id, values.product_id, *_stored(values, day)))
        elif stored[1:] != tuple(values):
            updated.append((stored[0], values))
    BulkInsert(Certificate, ["event_id", "product_id", *_CERTIFICATE_FIELDS], now=now).insert(created)
    if updated:  # one statement for all (a file continuing many histories ends many certificates)
        table, columns = sql_names(Certificate, *_CERTIFICATE_FIELDS, "updated_at", "id")
        assignments = ", ".join(f"{column} = %s" for column in columns[:-1])
        stamp = Certificate._meta.get_field("updated_at").get_db_prep_save(now, connection)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {columns[-1]} = %s",  # noqa: S608 — names quoted
                [(*_stored(values, day), stamp, pk) for pk, values in updated],
            )
    for part in chunks(values[0] for values in existing.values()):
        Certificate.objects.filter(pk__in=part).delete()
    notify_products_changed(product_ids=ids)


def _stored(values: CertificateValues, day: Callable[[object], object]) -> tuple:
    """The certificate's fields as stored (dates adapted for the backend)."""
    stars, number, valid_from, valid_to, ended_on, end_reason = values[1:]
    return stars, number, day(valid_from), day(valid_to), day(ended_on), end_reason


def _recipients_for(certificate: Certificate) -> list[str]:
    """The entity's e-mail, its producer accounts and the officers covering the product's commune."""
    from ocop.accounts.selectors import contact_emails

    product = certificate.product
    return contact_emails(entity=product.entity, commune_id=product.commune_id)


def expiry_reminders_send(*, today: dt.date, within_days: int = 30) -> list:
    """Daily job: a notice (on screen + e-mail) for each in-force certificate ending within ``within_days``.

    One notice per certificate, ever; e-mail goes out only after the notice is committed.
    """
    from django.conf import settings
    from django.core.mail import send_mail

    from .models import ExpiryNotice

    due = (
        Certificate.objects.filter(
            valid_from__lte=today, valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=within_days)
        )
        .filter(not_ended_on(today))
        .exclude(notices__isnull=False)
        .select_related("product", "product__entity", "event")
    )
    created = []
    for certificate in due:
        product = certificate.product
        days_left = (certificate.valid_to - today).days
        message = (
            f"Giấy chứng nhận OCOP {certificate.stars} sao của sản phẩm “{product.name}” "
            f"({product.entity.name}) hết hiệu lực ngày {certificate.valid_to:%d/%m/%Y} "
            f"(còn {days_left} ngày). "
            "Đề nghị chủ thể chuẩn bị hồ sơ đánh giá lại."
        )
        recipients = _recipients_for(certificate)
        with transaction.atomic():
            notice = ExpiryNotice.objects.create(
                certificate=certificate, notice_date=today, message=message, emailed_to=recipients
            )
            certificate.reminded_on = today
            certificate.save(update_fields=["reminded_on", "updated_at"])
            if recipients:
                transaction.on_commit(
                    lambda m=message, r=recipients, p=product: send_mail(
                        subject=f"[OCOP] Sắp hết hạn chứng nhận: {p.name}",
                        message=m,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=r,
                        fail_silently=False,
                    )
                )
        created.append(notice)
    return created


def notice_mark_read(*, user, notice) -> None:
    if user.pk not in notice.read_by:
        notice.read_by = [*notice.read_by, user.pk]
        notice.save(update_fields=["read_by", "updated_at"])
