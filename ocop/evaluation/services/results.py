"""What happens to a council's result: it is proposed to the level above (with a letter), sent back down by
that level (the ministry's return at 4★), or recognised by the decision of the level that the periods table
says recognises those stars on the decision's date.

Each irreversible action has a plan function that checks it and says what it will do (the confirmation
page shows that); the action itself runs the same plan inside its transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ocop.certification.services.events import event_record
from ocop.certification.validity import valid_until
from ocop.core.audit import audit_update, snapshot
from ocop.core.scoping import CHANGE
from ocop.legal.authority import authorise, period_for
from ocop.legal.periods import DECIDE, FORWARD, LEVEL_NAMES, MINISTRY, RETURN_DOWN
from ocop.legal.wording import issuing_body

from ..choices import DossierStatus, EvaluationStatus
from ..models import Dossier, Evaluation
from ..scoring import band_stars

if TYPE_CHECKING:
    from ocop.accounts.models import User


def _changeable(user: User, evaluation: Evaluation) -> Evaluation:
    if not Evaluation.objects.for_user(user, CHANGE).filter(pk=evaluation.pk).exists():
        raise PermissionDenied
    return Evaluation.objects.select_for_update().select_related("session__council").get(pk=evaluation.pk)


def _dossier_moves(user: User, dossier: Dossier, status: str, *, at_ministry: bool = False) -> None:
    """The dossier follows its result (audited); once proposed to the ministry it stays visible to it."""
    before = snapshot(dossier)
    dossier.status = status
    dossier.at_ministry = dossier.at_ministry or at_ministry
    dossier.save()
    audit_update(user=user, instance=dossier, before=before)


def _level(evaluation: Evaluation) -> str:
    return evaluation.session.council.level


# -- forwarding --------------------------------------------------------------------------------------------
def forward_rule(evaluation: Evaluation) -> tuple[Decimal, str] | None:
    """(threshold, level above) when this result goes up under the rules of its session's date."""
    if evaluation.status != EvaluationStatus.COMPLETE or evaluation.average is None or evaluation.returned_on:
        return None
    rule = period_for(evaluation.session.date).forward_rule(_level(evaluation))
    if rule and evaluation.average >= rule[0]:
        return rule
    return None


def forward_level(evaluation: Evaluation) -> str | None:
    """Where the result goes next: before 01/07/2025 district ≥ 70 (≥ 50 under 1048) → province; province
    ≥ 90 → ministry."""
    rule = forward_rule(evaluation)
    return rule[1] if rule else None


@dataclass(frozen=True)
class ForwardPlan:
    evaluation: Evaluation
    to_level: str
    threshold: Decimal
    number: str
    date: dt.date
    signer: str

    def lines(self) -> list[str]:
        to = LEVEL_NAMES[self.to_level]
        ministry = f" ({issuing_body(MINISTRY, self.date)})" if self.to_level == MINISTRY else ""
        return [
            f"Kết quả {self.evaluation.average} điểm (từ {self.threshold} điểm trở lên) của hồ sơ "
            f"“{self.evaluation.dossier.product.name}” được đề nghị lên {to}{ministry} bằng công văn số "
            f"{self.number} ngày {self.date:%d/%m/%Y}.",
            f"Hội đồng {LEVEL_NAMES[_level(self.evaluation)]} không sửa kết quả này nữa; {to} đưa "
            "hồ sơ ra hội đồng của mình và ra quyết định, hoặc trả kết quả về.",
            "Công văn đề nghị (PDF, Word) tải được ngay sau khi ghi.",
        ]


def forward_plan(
    *, user: User, evaluation: Evaluation, number: str, date: dt.date, signer: str = ""
) -> ForwardPlan:
    rule = forward_rule(evaluation)
    if rule is None:
        raise ValidationError("Kết quả này không thuộc diện đề nghị cấp trên.")
    authorise(user, step=FORWARD, level=_level(evaluation), day=date)
    period = period_for(date)
    if rule[1] not in period.levels:
        raise ValidationError(period.missing_level(rule[1]))
    if date < evaluation.session.date:
        raise ValidationError("Ngày công văn không được trước ngày họp hội đồng.")
    if not number.strip():
        raise ValidationError("Cần số công văn đề nghị.")
    return ForwardPlan(evaluation, rule[1], rule[0], number.strip(), date, signer.strip())


@transaction.atomic
def evaluation_forward(
    *, user: User, evaluation: Evaluation, number: str, date: dt.date, signer: str = ""
) -> Evaluation:
    """Propose the result to the level above with a letter (công văn đề nghị); that level puts the dossier
    before its own council."""
    evaluation = _changeable(user, evaluation)
    plan = forward_plan(user=user, evaluation=evaluation, number=number, date=date, signer=signer)
    before = snapshot(evaluation)
    evaluation.status = EvaluationStatus.FORWARDED
    evaluation.forwarded_to = plan.to_level
    evaluation.forward_number, evaluation.forward_date, evaluation.forward_signer = (
        plan.number,
        date,
        plan.signer,
    )
    evaluation.save()
    audit_update(user=user, instance=evaluation, before=before)
    _dossier_moves(user, evaluation.dossier, DossierStatus.FORWARDED, at_ministry=plan.to_level == MINISTRY)
    return evaluation


# -- the level above sends a result back ------------------------------------------------------------------
@dataclass(frozen=True)
class ReturnDownPlan:
    evaluation: Evaluation  # the upper council's result
    lower: Evaluation  # the result proposed from below, which becomes decidable again
    stars: int | None  # what the lower level may then recognise
    note: str
    date: dt.date

    def lines(self) -> list[str]:
        lower_level = LEVEL_NAMES[_level(self.lower)]
        decided = (
            f"{lower_level.capitalize()} ra quyết định công nhận {self.stars} sao theo kết quả "
            f"{self.lower.average} điểm của hội đồng {lower_level}."
            if self.stars
            else f"Kết quả của {lower_level} không đủ để công nhận ở cấp đó."
        )
        return [
            f"Hồ sơ “{self.lower.dossier.product.name}” được trả về {lower_level} ngày {self.date:%d/%m/%Y}; "
            f"kết quả {self.evaluation.average} điểm của hội đồng {LEVEL_NAMES[_level(self.evaluation)]} "
            "được lưu lại nhưng không được công nhận ở cấp này.",
            decided,
            f"Ý kiến: {self.note}",
        ]


def return_down_plan(*, user: User, evaluation: Evaluation, note: str, date: dt.date) -> ReturnDownPlan:
    from ..flow import forwarded_evaluation

    if evaluation.status != EvaluationStatus.COMPLETE:
        raise ValidationError("Chỉ trả về kết quả đã có của hội đồng.")
    level = _level(evaluation)
    authorise(user, step=RETURN_DOWN, level=level, day=date)
    lower = forwarded_evaluation(evaluation.dossier, to_level=level)
    if lower is None:
        raise ValidationError("Hồ sơ này không do cấp dưới đề nghị lên: không có kết quả để trả về.")
    if not note.strip():
        raise ValidationError("Cần ý kiến khi trả kết quả về cấp dưới.")
    if date < evaluation.session.date:
        raise ValidationError("Ngày trả về không được trước ngày họp hội đồng.")
    period = period_for(date)
    lower_level = _level(lower)
    stars = min(lower.stars or 0, period.max_stars(lower_level))
    return ReturnDownPlan(evaluation, lower, stars if stars >= 3 else None, note.strip(), date)


@transaction.atomic
def evaluation_return_down(*, user: User, evaluation: Evaluation, note: str, date: dt.date) -> Evaluation:
    """The level above does not recognise the result proposed to it (the ministry's return at 4★): its own
    result is kept as returned, and the lower level's result becomes decidable up to that level's stars."""
    evaluation = _changeable(user, evaluation)
    plan = return_down_plan(user=user, evaluation=evaluation, note=note, date=date)
    lower = Evaluation.objects.select_for_update().get(pk=plan.lower.pk)
    before, lower_before = snapshot(evaluation), snapshot(lower)
    evaluation.status = EvaluationStatus.RETURNED
    evaluation.save()
    lower.status = EvaluationStatus.COMPLETE
    lower.returned_on, lower.return_note = date, plan.note
    lower.save()
    audit_update(user=user, instance=evaluation, before=before)
    audit_update(user=user, instance=lower, before=lower_before)
    _dossier_moves(user, evaluation.dossier, DossierStatus.RESULT)
    return lower


# -- the decision -----------------------------------------------------------------------------------------
def decidable_stars(evaluation: Evaluation, day: dt.date | None = None) -> int | None:
    """The star this council's level may recognise on ``day`` (default: the session's date), or None (not
    OCOP, not final, or recognised by another level). A result sent back from above is capped at the
    level's highest star (the ministry's return at 4★)."""
    if evaluation.status != EvaluationStatus.COMPLETE or not evaluation.stars:
        return None
    period = period_for(day or evaluation.session.date)
    level = _level(evaluation)
    stars = evaluation.stars
    if evaluation.returned_on:
        stars = min(stars, period.max_stars(level))
    return stars if stars >= 3 and period.decider(stars) == level else None


@dataclass(frozen=True)
class DecisionPlan:
    evaluation: Evaluation
    stars: int
    level: str
    issuer: str
    number: str
    date: dt.date
    signer: str

    def lines(self) -> list[str]:
        product = self.evaluation.dossier.product
        end = valid_until(self.date)
        return [
            f"{self.issuer} công nhận “{product.name}” ({product.entity.name}) đạt {self.stars} "
            f"sao theo quyết định số {self.number} ngày {self.date:%d/%m/%Y}.",
            f"Giấy chứng nhận có hiệu lực từ {self.date:%d/%m/%Y} đến hết ngày {end:%d/%m/%Y} (36 "
            "tháng); sản phẩm được tính vào thống kê và hiện trên cổng thông tin.",
            "Quyết định không sửa được sau khi ghi; muốn chấm dứt phải ghi quyết định thu hồi.",
        ]


def decision_plan(
    *, user: User, evaluation: Evaluation, number: str, date: dt.date, signer: str = ""
) -> DecisionPlan:
    from ocop.certification.documents import issuer_for

    period = period_for(date)
    level = _level(evaluation)
    if level not in period.levels:
        raise ValidationError(period.missing_level(level))
    if date < evaluation.session.date:
        raise ValidationError("Ngày quyết định không được trước ngày họp hội đồng.")
    stars = decidable_stars(evaluation, date)
    if stars is None:
        if evaluation.status != EvaluationStatus.COMPLETE or (evaluation.stars or 0) < 3:
            raise ValidationError("Kết quả này chưa thể ra quyết định công nhận.")
        wanted = evaluation.stars or 0
        if evaluation.returned_on:
            wanted = min(wanted, period.max_stars(level))
        refusal = period.stars_refusal(wanted, level) if wanted >= 3 else None
        raise ValidationError(refusal or f"{LEVEL_NAMES[level].capitalize()} không công nhận kết quả này.")
    authorise(user, step=DECIDE, level=level, day=date)
    if not number.strip():
        raise ValidationError("Cần số quyết định.")
    issuer = issuer_for(level=level, commune=evaluation.dossier.product.commune, day=date).body
    return DecisionPlan(evaluation, stars, level, issuer, number.strip(), date, signer.strip())


@transaction.atomic
def decision_record(
    *, user: User, evaluation: Evaluation, number: str, date: dt.date, signer: str = ""
) -> Evaluation:
    """The level's decision recognising the result: the recognition event (new, upgrade or renewal, inferred
    from the history) with its issuing level, and the 36-month certificate."""
    evaluation = _changeable(user, evaluation)
    plan = decision_plan(user=user, evaluation=evaluation, number=number, date=date, signer=signer)
    before = snapshot(evaluation)
    # A recognition line's score must lie in its star's band (SPEC §5.3); a product held back by a
    # mandatory criterion (or returned at 4★) keeps its score on the evaluation, the line carries the star.
    in_band = evaluation.average is not None and band_stars(evaluation.average) == plan.stars
    event, _ = event_record(
        product=evaluation.dossier.product,
        stars=plan.stars,
        decision_date=date,
        score=evaluation.average if in_band else None,
        decision_number=plan.number,
        issuing_level=plan.level,
        source=f"Hội đồng: {evaluation.session.council}"[:200],
        signer=plan.signer,
        user=user,
    )
    evaluation.decision_number, evaluation.decision_date = plan.number, date
    evaluation.decision_signer = plan.signer
    evaluation.event = event
    evaluation.status = EvaluationStatus.DECIDED
    evaluation.save()
    audit_update(user=user, instance=evaluation, before=before)
    _dossier_moves(user, evaluation.dossier, DossierStatus.DECIDED)
    return evaluation
