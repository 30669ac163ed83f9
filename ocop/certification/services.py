from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ocop.accounts.roles import Role
from ocop.core.audit import audit_create, audit_update, snapshot
from ocop.core.bulk import BulkInsert, StoredDates, chunks, id_set, sql_names
from ocop.core.scoping import CHANGE
from ocop.core.signals import notify_products_changed
from ocop.legal.authority import authorise, period_for
from ocop.legal.periods import DISTRICT, RECORD, REFORM_DATE, REVOKE, NoPeriod, period_on

from .choices import CertificateStatus, EventKind
from .history import (
    CONTRADICTION,
    OCOP_MIN_STARS,
    Line,
    RecordedDecisions,
    check_line,
    infer_kind,
    line_problems,
    lines_of,
    state_on,
)
from .models import Certificate, ExpiryNotice, RecognitionEvent
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
    audit_create(user=user, instance=event)  # without a user: the system's (a load or the demo data)
    certificates_sync(product_ids=[product.pk])
    return event, True


def _authority_for(*, user: User, product: Product, step: str, stars: int | None, date: dt.date) -> str:
    """The level whose decision this is (the one that recognises ``stars`` on ``date``), once the periods
    table lets the user record it; else ValidationError naming the rule."""
    period = period_for(date)
    level = period.decider(stars or 0)
    if level is None:
        raise ValidationError({"stars": "Chỉ quyết định công nhận 3, 4 hoặc 5 sao (sản phẩm OCOP)."})
    authorise(user, step=step, level=level, day=date)
    return level


def _changeable_product(user: User, product: Product) -> None:
    from ocop.products.models import Product

    if not Product.objects.for_user(user, CHANGE).filter(pk=product.pk).exists():
        raise PermissionDenied


def _check_number_and_date(
    *, number: str, date: dt.date, today: dt.date | None, missing: str, **errors: str
) -> None:
    """A decision needs its number and a date not after today (``errors``: more field errors to report)."""
    if not number.strip():
        errors["number"] = missing
    if date > (today or timezone.localdate()):
        errors["date"] = "Ngày quyết định không được sau hôm nay."
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class RecordPlan:
    product: Product
    stars: int
    level: str
    issuer: str
    number: str
    date: dt.date
    kind: str
    on_behalf: bool

    def lines(self) -> list[str]:
        behalf = (
            f" Bạn ghi thay {self.issuer} (cấp huyện không còn từ {REFORM_DATE:%d/%m/%Y}); cơ quan "
            "ban hành in trên quyết định và giấy chứng nhận vẫn là cấp huyện."
            if self.on_behalf
            else ""
        )
        return [
            f"Ghi vào lịch sử của “{self.product.name}” quyết định số {self.number} ngày "
            f"{self.date:%d/%m/%Y} của {self.issuer}: {EventKind(self.kind).label.lower()} {self.stars} sao."
            f"{behalf}",
            f"Giấy chứng nhận có hiệu lực từ {self.date:%d/%m/%Y} đến hết ngày "
            f"{valid_until(self.date):%d/%m/%Y}; thống kê và cổng thông tin tính theo lịch sử này.",
            "Dòng quyết định không sửa được sau khi ghi.",
        ]


def recognition_record_plan(
    *,
    user: User,
    product: Product,
    stars: int,
    number: str,
    date: dt.date,
    kind: str | None = None,
    today: dt.date | None = None,
) -> RecordPlan:
    """What typing in an issued recognition decision will record; refused with the rule when the periods
    table does not let the user record that level's decision on that date."""
    from .documents import issuer_for

    _changeable_product(user, product)
    _check_number_and_date(number=number, date=date, today=today, missing="Cần số quyết định.")
    level = _authority_for(user=user, product=product, step=RECORD, stars=stars, date=date)
    history = lines_of(RecognitionEvent.objects.filter(product=product))
    chosen = kind or infer_kind(history, stars, date)
    problem = check_line(history, Line(chosen, stars, date, order=10**9))
    if problem:
        raise ValidationError(problem)
    issuer = issuer_for(level=level, commune=product.commune, day=date)
    on_behalf = level == DISTRICT and user.role != Role.DISTRICT_OFFICER
    return RecordPlan(product, stars, level, issuer.body, number.strip(), date, chosen, on_behalf)


@transaction.atomic
def recognition_record(
    *,
    user: User,
    product: Product,
    stars: int,
    number: str,
    date: dt.date,
    kind: str | None = None,
    score: Decimal | None = None,
    signer: str = "",
    today: dt.date | None = None,
) -> RecognitionEvent:
    """Type in a recognition decision already issued (history): by the officer of the level that issued it,
    or a province officer on behalf of an abolished district (148 period); the district stays the issuer."""
    plan = recognition_record_plan(
        user=user, product=product, stars=stars, number=number, date=date, kind=kind, today=today
    )
    source = "Nhập tay" + (" (cán bộ tỉnh ghi thay UBND cấp huyện)" if plan.on_behalf else "")
    event, created = event_record(
        product=product,
        stars=stars,
        kind=plan.kind,
        decision_date=date,
        score=score,
        decision_number=plan.number,
        issuing_level=plan.level,
        source=source,
        signer=signer.strip(),
        user=user,
    )
    if not created:
        raise ValidationError("Quyết định này đã được ghi nhận.")
    return event


def revoking_level(*, product: Product, date: dt.date) -> tuple[str | None, int | None]:
    """(level that revokes, stars) for a product recognised on ``date``: the level that recognises its star
    under the rules of that date (the province for 3–4★ from 01/07/2025, the ministry for 5★)."""
    state = state_on(lines_of(RecognitionEvent.objects.filter(product=product)), date)
    if not state.recognised or not state.stars:
        return None, None
    try:
        return period_on(date).decider(state.stars), state.stars
    except NoPeriod:
        return None, state.stars


@transaction.atomic
def revocation_decide(
    *,
    user: User,
    product: Product,
    number: str,
    date: dt.date,
    reason: str,
    signer: str = "",
    today: dt.date | None = None,
) -> RecognitionEvent:
    """Record a decision revoking a product's recognition, with its reason, by the level the periods table
    says revokes that star on that date; the certificate ends on the decision date and the portal stops
    listing the product."""
    _changeable_product(user, product)
    extra = {} if reason.strip() else {"reason": "Cần nêu lý do thu hồi."}
    _check_number_and_date(
        number=number, date=date, today=today, missing="Cần số quyết định thu hồi.", **extra
    )
    _level, stars = revoking_level(product=product, date=date)
    if stars is None:
        raise ValidationError("Thu hồi sản phẩm không đang được công nhận tại ngày quyết định.")
    level = _authority_for(user=user, product=product, step=REVOKE, stars=stars, date=date)
    event, created = event_record(
        product=product,
        stars=None,
        kind=EventKind.REVOCATION,
        decision_date=date,
        decision_number=number.strip(),
        issuing_level=level,
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
    stars: int | None  # 3–5 (an event below OCOP stars gives no certificate)
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
    existing: dict[int, tuple[Any, ...]] = {}
    for line in (
        RecognitionEvent.objects.filter(product_id__in=id_set(ids))
        .order_by()
        .values_list("id", "product_id", "kind", "stars", "decision_date", "decision_number")
    ):
        events[line[1]].append(EventLine(*line))
    for pk, event_id, *fields in (
        Certificate.objects.filter(product_id__in=id_set(ids))
        .order_by()
        .values_list("id", "event_id", "product_id", *_CERTIFICATE_FIELDS)
    ):
        existing[event_id] = (pk, *fields)
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
    for part in chunks(stored[0] for stored in existing.values()):
        Certificate.objects.filter(pk__in=part).delete()
    notify_products_changed(product_ids=ids)


def _stored(values: CertificateValues, day: Callable[[object], object]) -> tuple[Any, ...]:
    """The certificate's fields as stored (dates adapted for the backend)."""
    stars, number, valid_from, valid_to, ended_on, end_reason = values[1:]
    return stars, number, day(valid_from), day(valid_to), day(ended_on), end_reason


def _recipients_for(certificate: Certificate) -> list[str]:
    """The entity's e-mail, its producer accounts and the officers covering the product's commune."""
    from ocop.accounts.selectors import contact_emails

    product = certificate.product
    return contact_emails(entity=product.entity, commune_id=product.commune_id)


def expiry_reminders_send(*, today: dt.date, within_days: int = 30) -> list[ExpiryNotice]:
    """Daily job: a notice (on screen + e-mail) for each in-force certificate ending within ``within_days``.

    One notice per certificate, ever; e-mail goes out only after the notice is committed.
    """
    from django.conf import settings
    from django.core.mail import send_mail

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
            before = snapshot(certificate)
            certificate.reminded_on = today
            certificate.save(update_fields=["reminded_on", "updated_at"])
            # The daily job is the system's own act: audited with no user.
            audit_create(user=None, instance=notice)
            audit_update(user=None, instance=certificate, before=before)
            if recipients:
                transaction.on_commit(
                    functools.partial(
                        send_mail,
                        subject=f"[OCOP] Sắp hết hạn chứng nhận: {product.name}",
                        message=message,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=recipients,
                        fail_silently=False,
                    )
                )
        created.append(notice)
    return created


def notice_mark_read(*, user: User, notice: ExpiryNotice) -> None:
    if user.pk not in notice.read_by:
        before = snapshot(notice)
        notice.read_by = [*notice.read_by, user.pk]
        notice.save(update_fields=["read_by", "updated_at"])
        audit_update(user=user, instance=notice, before=before)
