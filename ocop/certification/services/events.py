"""Recognition decisions in a product's history: a line recorded (``event_record``, the import's rules too),
a decision already issued typed in by the level that issued it (``recognition_record`` after showing its
``RecordPlan``), and a revocation decided by the level the periods table names. Each brings the product's
certificates up to date (``certificates.certificates_sync``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ocop.accounts.roles import Role
from ocop.core.audit import audit_create
from ocop.core.scoping import CHANGE
from ocop.legal.authority import authorise, period_for
from ocop.legal.periods import DISTRICT, RECORD, REFORM_DATE, REVOKE, NoPeriod, period_on

from ..choices import EventKind
from ..history import (
    CONTRADICTION,
    Line,
    RecordedDecisions,
    check_line,
    infer_kind,
    line_problems,
    lines_of,
    state_on,
)
from ..models import Certificate, RecognitionEvent
from ..validity import valid_until
from .certificates import certificates_sync

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
    from ..documents import issuer_for

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


@dataclass(frozen=True)
class RevocationPlan:
    product: Product
    stars: int
    level: str
    issuer: str
    number: str
    date: dt.date
    reason: str
    certificates: list[Certificate]

    def lines(self) -> list[str]:
        ending = (
            "; ".join(
                f"giấy chứng nhận {c.number or 'không số'} ({c.stars} sao, "
                f"hiệu lực đến {c.valid_to:%d/%m/%Y})"
                for c in self.certificates
            )
            or "giấy chứng nhận của sản phẩm"
        )
        entity = f" ({self.product.entity.name})" if self.product.entity_id else ""
        return [
            f"Ghi quyết định thu hồi số {self.number} ngày {self.date:%d/%m/%Y} của {self.issuer}: sản phẩm "
            f"“{self.product.name}”{entity} thôi là sản phẩm OCOP {self.stars} sao.",
            f"Lý do ghi trên quyết định: {self.reason}",
            f"Chấm dứt hiệu lực từ ngày {self.date:%d/%m/%Y}: {ending}.",
            "Cổng thông tin công khai thôi giới thiệu sản phẩm; thống kê tính theo quyết định này.",
            "Quyết định thu hồi không sửa, không xoá được sau khi ghi.",
        ]


def revocation_plan(
    *,
    user: User,
    product: Product,
    number: str,
    date: dt.date,
    reason: str,
    signer: str = "",
    today: dt.date | None = None,
) -> RevocationPlan:
    """What recording a revocation will do (the certificates it ends), or the rule that refuses it: the
    level the periods table says revokes that star on that date, a reason, a number and a real date."""
    from ..documents import issuer_for

    _changeable_product(user, product)
    extra = {} if reason.strip() else {"reason": "Cần nêu lý do thu hồi."}
    _check_number_and_date(
        number=number, date=date, today=today, missing="Cần số quyết định thu hồi.", **extra
    )
    _level, stars = revoking_level(product=product, date=date)
    if stars is None:
        raise ValidationError("Thu hồi sản phẩm không đang được công nhận tại ngày quyết định.")
    level = _authority_for(user=user, product=product, step=REVOKE, stars=stars, date=date)
    certificates = list(
        Certificate.objects.filter(product=product, valid_from__lte=date, valid_to__gte=date).order_by("pk")
    )
    issuer = issuer_for(level=level, commune=product.commune, day=date).body
    return RevocationPlan(product, stars, level, issuer, number.strip(), date, reason.strip(), certificates)


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
    plan = revocation_plan(user=user, product=product, number=number, date=date, reason=reason, today=today)
    level = plan.level
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
