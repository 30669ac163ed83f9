"""Writes of councils and scoring: sessions, evaluations, members' sheets (autosaved), the result, the
chair's explanation of a spread, forwarding and the decision (which records the recognition event)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ocop.accounts.roles import OFFICER_ROLES, Role
from ocop.certification.services import event_record
from ocop.core.audit import audit_create, audit_saved, audit_update, snapshot

from ..choices import (
    LEVEL_MAX_STARS,
    SCORING_ROLES,
    TWO_LEVEL_FROM,
    CouncilLevel,
    DossierStatus,
    EvaluationStatus,
    MemberRole,
)
from ..models import Council, CouncilMember, Dossier, Evaluation, ScoreSheet, Session
from ..scoring import band_stars, council_result, explain, score_member
from .dossiers import _check_choice

if TYPE_CHECKING:
    from ocop.accounts.models import User
    from ocop.geography.models import AdminUnit

FORWARD_THRESHOLD: dict[str, tuple[Decimal, str]] = {
    CouncilLevel.DISTRICT: (Decimal(70), CouncilLevel.PROVINCE),
    CouncilLevel.PROVINCE: (Decimal(90), CouncilLevel.MINISTRY),
}


SPREAD_SENTENCE = (
    "Điểm của các thành viên chênh lệch từ 10 điểm trở lên: cần chấm lại hoặc giải trình trước khi công nhận."
)


def _manager(user: User) -> None:
    if not (user.is_admin_role or user.role in {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER}):
        raise PermissionDenied


@transaction.atomic
def council_create(
    *, user: User, level: str, year: int, round_number: int, name: str, unit: AdminUnit | None = None
) -> Council:
    _manager(user)
    council = Council(
        level=level,
        year=year,
        round_number=round_number,
        name=name.strip(),
        unit=unit or (user.unit if user.role in OFFICER_ROLES else None),
        created_by=user,
    )
    council.full_clean()
    council.save()
    audit_create(user=user, instance=council)
    return council


@transaction.atomic
def council_member_add(*, user: User, council: Council, member_user: User, role: str) -> CouncilMember:
    _manager(user)
    if role == MemberRole.CHAIR and council.members.filter(role=MemberRole.CHAIR).exists():
        raise ValidationError("Hội đồng đã có chủ tịch.")
    member = CouncilMember.objects.filter(council=council, user=member_user).first()
    before = snapshot(member) if member is not None else None
    if member is None:
        member = CouncilMember(council=council, user=member_user, role=role)
    member.role = role
    member.save()
    audit_saved(user=user, instance=member, before=before)
    return member


@transaction.atomic
def session_create(*, user: User, council: Council, date: dt.date, place: str = "") -> Session:
    _manager(user)
    if council.level == CouncilLevel.DISTRICT and date >= TWO_LEVEL_FROM:
        raise ValidationError("Từ 01/07/2025 không còn hội đồng cấp huyện (Quyết định 1489/QĐ-TTg).")
    session = Session(council=council, date=date, place=place)
    session.full_clean()
    session.save()
    audit_create(user=user, instance=session)
    return session


@transaction.atomic
def evaluation_open(*, user: User, dossier: Dossier, session: Session) -> Evaluation:
    """Put a received dossier (or one forwarded from a lower council) before a council session."""
    _manager(user)
    if not Dossier.objects.for_user(user, "change").filter(pk=dossier.pk).exists():
        raise PermissionDenied
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    forwarded = dossier.evaluations.filter(status=EvaluationStatus.FORWARDED).exists()
    if dossier.status != DossierStatus.RECEIVED and not forwarded:
        raise ValidationError("Chỉ đưa ra hội đồng hồ sơ đã tiếp nhận (hoặc được chuyển từ cấp dưới).")
    evaluation = Evaluation(dossier=dossier, session=session)
    evaluation.full_clean()
    evaluation.save()
    before = snapshot(dossier)
    dossier.status = DossierStatus.IN_COUNCIL
    dossier.save()
    audit_create(user=user, instance=evaluation)
    audit_update(user=user, instance=dossier, before=before)
    return evaluation


def scoring_members(evaluation: Evaluation) -> list[CouncilMember]:
    return list(
        evaluation.session.council.members.filter(role__in=SCORING_ROLES)
        .select_related("user")
        .order_by("id")
    )


def member_of(evaluation: Evaluation, user: User) -> CouncilMember | None:
    return evaluation.session.council.members.filter(user=user).first()


def _own_sheet(evaluation: Evaluation, user: User) -> tuple[ScoreSheet, bool]:
    """The member's sheet, locked, and whether it was created just now."""
    member = member_of(evaluation, user)
    if member is None or member.role not in SCORING_ROLES:
        raise PermissionDenied
    if evaluation.status in {EvaluationStatus.DECIDED, EvaluationStatus.FORWARDED}:
        raise ValidationError("Kết quả đã chốt, không sửa phiếu được nữa.")
    return ScoreSheet.objects.select_for_update().get_or_create(evaluation=evaluation, member=member)


def score_choose(*, user: User, evaluation: Evaluation, code: str, option: int | None) -> ScoreSheet:
    """One choice of a member, saved as it is entered (the page's autosave of one criterion)."""
    return score_save(user=user, evaluation=evaluation, choices=[(code, option)])


@transaction.atomic
def score_save(
    *,
    user: User,
    evaluation: Evaluation,
    choices: Sequence[tuple[str, int | None]],
    submit: bool = False,
) -> ScoreSheet:
    """A member's choices (criterion code, option or None to clear), then the sheet submitted if asked: all
    or nothing, so one bad option leaves none of the others saved. A change after submitting re-opens the
    sheet."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    sheet, created = _own_sheet(evaluation, user)
    before = None if created else snapshot(sheet)
    criteria = evaluation.dossier.criteria_version.sheet
    chosen = sheet.choices
    for code, option in choices:
        try:
            chosen = _check_choice(criteria, chosen, code, option)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    changed = chosen != sheet.choices
    if changed:
        score = score_member(criteria, chosen)
        sheet.choices, sheet.total, sheet.parts = chosen, score.total, score.parts
        sheet.submitted_at = None
    if submit:
        sheet.submitted_at = timezone.now()
    if changed or submit or created:
        sheet.save()
        audit_saved(user=user, instance=sheet, before=before)
        evaluation_refresh(evaluation)
    return sheet


def score_submit(*, user: User, evaluation: Evaluation) -> ScoreSheet:
    return score_save(user=user, evaluation=evaluation, choices=[], submit=True)


def evaluation_refresh(evaluation: Evaluation) -> Evaluation:
    """Recompute the stored result from the members' sheets: nothing while a member has not submitted;
    blocked while two totals differ by 10 or more and the chair has not explained it."""
    if evaluation.status in {EvaluationStatus.DECIDED, EvaluationStatus.FORWARDED}:
        return evaluation
    members = scoring_members(evaluation)
    sheets = {s.member_id: s for s in evaluation.sheets.all()}
    done = [sheets[m.pk] for m in members if m.pk in sheets and sheets[m.pk].submitted_at]
    criteria = evaluation.dossier.criteria_version.sheet
    if not members or len(done) < len(members):
        evaluation.status = EvaluationStatus.SCORING
        evaluation.average = evaluation.band_stars = evaluation.stars = None
        evaluation.parts, evaluation.held_back_by, evaluation.explanation = {}, [], ""
        evaluation.spread_blocked = False
    else:
        result = council_result(criteria, [s.choices for s in done], knocked_out=evaluation.knocked_out)
        evaluation.average = result.average
        evaluation.parts = {k: str(v) for k, v in result.parts.items()}
        evaluation.band_stars = result.band_stars
        evaluation.stars = result.stars
        evaluation.held_back_by = result.held_back_by
        evaluation.explanation = explain(criteria, result)
        evaluation.spread_blocked = result.spread_blocked
        explained = bool(evaluation.chair_explanation.strip())
        if result.spread_blocked and explained:
            evaluation.explanation = evaluation.explanation.replace(
                SPREAD_SENTENCE, "Chênh lệch từ 10 điểm trở lên đã được chủ tịch hội đồng giải trình."
            )
        evaluation.status = (
            EvaluationStatus.BLOCKED if result.spread_blocked and not explained else EvaluationStatus.COMPLETE
        )
    evaluation.save()
    dossier = evaluation.dossier
    target = (
        DossierStatus.RESULT if evaluation.status == EvaluationStatus.COMPLETE else DossierStatus.IN_COUNCIL
    )
    if dossier.status in {DossierStatus.IN_COUNCIL, DossierStatus.RESULT} and dossier.status != target:
        dossier.status = target
        dossier.save(update_fields=["status", "updated_at"])
    return evaluation


@transaction.atomic
def evaluation_explain_spread(*, user: User, evaluation: Evaluation, text: str) -> Evaluation:
    """The chair's written explanation that lets a result with a spread ≥ 10 stand."""
    member = member_of(evaluation, user)
    if member is None or member.role != MemberRole.CHAIR:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError("Cần nội dung giải trình.")
    before = snapshot(evaluation)
    evaluation.chair_explanation = text.strip()
    evaluation_refresh(evaluation)
    audit_update(user=user, instance=evaluation, before=before)
    return evaluation


@transaction.atomic
def evaluation_knockouts_set(*, user: User, evaluation: Evaluation, codes: list[str]) -> Evaluation:
    """The chair records the knock-out notes ("điểm liệt") the council found to apply: no stars then."""
    member = member_of(evaluation, user)
    if member is None or member.role != MemberRole.CHAIR:
        raise PermissionDenied
    if evaluation.status in {EvaluationStatus.DECIDED, EvaluationStatus.FORWARDED}:
        raise ValidationError("Kết quả đã chốt.")
    sheet = evaluation.dossier.criteria_version.sheet
    allowed = {c.code for c in sheet.knockouts()}
    unknown = sorted(set(codes) - allowed)
    if unknown:
        raise ValidationError(f"Tiêu chí không có ghi chú điểm liệt: {', '.join(unknown)}")
    before = snapshot(evaluation)
    evaluation.knocked_out = sorted(set(codes))
    evaluation_refresh(evaluation)
    audit_update(user=user, instance=evaluation, before=before)
    return evaluation


def forward_level(evaluation: Evaluation) -> str | None:
    """Where the result goes next: district ≥ 70 → province (until 30/06/2025), province ≥ 90 → ministry."""
    if evaluation.average is None or evaluation.status != EvaluationStatus.COMPLETE:
        return None
    rule = FORWARD_THRESHOLD.get(evaluation.session.council.level)
    if rule and evaluation.average >= rule[0]:
        return rule[1]
    return None


def decidable_stars(evaluation: Evaluation) -> int | None:
    """The star this council's level may recognise now, or None (not OCOP, not final, or above the level)."""
    if evaluation.status != EvaluationStatus.COMPLETE or not evaluation.stars:
        return None
    cap = LEVEL_MAX_STARS[evaluation.session.council.level]
    return evaluation.stars if 3 <= evaluation.stars <= cap else None


@transaction.atomic
def evaluation_forward(*, user: User, evaluation: Evaluation, session: Session) -> Evaluation:
    _manager(user)
    level = forward_level(evaluation)
    if level is None or session.council.level != level:
        raise ValidationError("Kết quả này không thuộc diện chuyển lên hội đồng cấp đó.")
    before = snapshot(evaluation)
    evaluation.status = EvaluationStatus.FORWARDED
    evaluation.save()
    audit_update(user=user, instance=evaluation, before=before)
    return evaluation_open(user=user, dossier=evaluation.dossier, session=session)


@transaction.atomic
def decision_record(
    *, user: User, evaluation: Evaluation, number: str, date: dt.date, signer: str = ""
) -> Evaluation:
    """A province officer records the decision recognising the result; the recognition event (new,
    upgrade or renewal, inferred from the history) and the 36-month certificate follow."""
    if not (user.is_admin_role or user.role == Role.PROVINCE_OFFICER):
        raise PermissionDenied
    if not Evaluation.objects.for_user(user, "change").filter(pk=evaluation.pk).exists():
        raise PermissionDenied
    stars = decidable_stars(evaluation)
    if stars is None:
        raise ValidationError("Kết quả này chưa thể ra quyết định công nhận ở cấp hội đồng này.")
    if not number.strip():
        raise ValidationError("Cần số quyết định.")
    before = snapshot(evaluation)
    level = evaluation.session.council.level
    # A recognition line's score must lie in its star's band (SPEC §5.3); a product held back by a
    # mandatory criterion keeps its score on the evaluation, and the line carries the star only.
    in_band = evaluation.average is not None and band_stars(evaluation.average) == stars
    event, _ = event_record(
        product=evaluation.dossier.product,
        stars=stars,
        decision_date=date,
        score=evaluation.average if in_band else None,
        decision_number=number.strip(),
        issuing_level=level,
        source=f"Hội đồng: {evaluation.session.council}"[:200],
        signer=signer.strip(),
        user=user,
    )
    evaluation.decision_number, evaluation.decision_date = number.strip(), date
    evaluation.decision_signer = signer.strip()
    evaluation.event = event
    evaluation.status = EvaluationStatus.DECIDED
    evaluation.save()
    dossier = evaluation.dossier
    dossier.status = DossierStatus.DECIDED
    dossier.save(update_fields=["status", "updated_at"])
    audit_update(user=user, instance=evaluation, before=before)
    return evaluation
