"""Members' score sheets (autosaved as they are entered) and the council's result computed from them.

A session's sheets make a result only when its attendance is recorded and meets the quorum of the council's
rules; then every member present must have submitted. The chair explains a spread of 10 points or more, and
records knock-outs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ocop.core.audit import audit_saved, audit_update, snapshot

from ..choices import SCORING_ROLES, SETTLED, DossierStatus, EvaluationStatus, MemberRole
from ..models import CouncilMember, Evaluation, ScoreSheet, Session
from ..scoring import (
    council_result,
    explain,
    missing_sentence,
    quorum_met,
    quorum_needed,
    score_member,
    unanswered,
)
from .dossiers import _check_choice

if TYPE_CHECKING:
    from ocop.accounts.models import User
SPREAD_SENTENCE = (
    "Điểm của các thành viên chênh lệch từ 10 điểm trở lên: cần chấm lại hoặc giải trình trước khi công nhận."
)


@dataclass(frozen=True)
class Quorum:
    """A session's attendance against its council's rules."""

    recorded: bool
    members: int  # scoring members of the council
    present: int
    needed: int
    chair_present: bool
    chair_required: bool
    percent: int
    met: bool

    @property
    def sentence(self) -> str:
        chair = ", có Chủ tịch hội đồng" if self.chair_required else ""
        rule = f"ít nhất {self.percent}% số thành viên ({self.needed}/{self.members}){chair}"
        if not self.recorded:
            return f"Chưa ghi danh sách dự họp. Quy chế: {rule}."
        verdict = "đủ điều kiện" if self.met else "KHÔNG đủ điều kiện: phiếu chấm không tạo thành kết quả"
        chair_text = "" if self.chair_present or not self.chair_required else " (vắng Chủ tịch hội đồng)"
        return f"Dự họp {self.present}/{self.members} thành viên{chair_text}; quy chế: {rule} — {verdict}."


def scoring_members(evaluation: Evaluation) -> list[CouncilMember]:
    return list(
        evaluation.session.council.members.filter(role__in=SCORING_ROLES)
        .select_related("user")
        .order_by("id")
    )


def session_quorum(session: Session) -> Quorum:
    council = session.council
    members = list(council.members.filter(role__in=SCORING_ROLES))
    present_ids = set(session.attendees.values_list("pk", flat=True))
    present = [m for m in members if m.pk in present_ids]
    chair_present = any(m.role == MemberRole.CHAIR for m in present)
    recorded = session.attendance_recorded_at is not None
    met = recorded and quorum_met(
        members=len(members),
        present=len(present),
        chair_present=chair_present,
        percent=council.quorum_percent,
        chair_required=council.chair_required,
    )
    return Quorum(
        recorded=recorded,
        members=len(members),
        present=len(present),
        needed=quorum_needed(len(members), council.quorum_percent),
        chair_present=chair_present,
        chair_required=council.chair_required,
        percent=council.quorum_percent,
        met=met,
    )


def expected_members(evaluation: Evaluation) -> list[CouncilMember]:
    """Whose sheets make the result: the scoring members present (every scoring member until attendance is
    recorded)."""
    members = scoring_members(evaluation)
    session = evaluation.session
    if session.attendance_recorded_at is None:
        return members
    present = set(session.attendees.values_list("pk", flat=True))
    return [m for m in members if m.pk in present]


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("dossier__product", "dossier__criteria_version", "session__council")
        .get(pk=evaluation.pk)
    )


def member_of(evaluation: Evaluation, user: User) -> CouncilMember | None:
    return evaluation.session.council.members.filter(user=user).select_related("user").first()


def _own_sheet(evaluation: Evaluation, user: User) -> tuple[ScoreSheet, dict[str, Any] | None]:
    member = member_of(evaluation, user)
    if member is None or member.role not in SCORING_ROLES:
        raise PermissionDenied
    if evaluation.status in SETTLED:
        raise ValidationError("Kết quả đã chốt, không sửa phiếu được nữa.")
    session = evaluation.session
    if session.attendance_recorded_at and not session.attendees.filter(pk=member.pk).exists():
        raise ValidationError(
            f"Bạn không có tên trong danh sách dự phiên họp ngày {session.date:%d/%m/%Y}: không chấm được."
        )
    sheet = ScoreSheet.objects.select_for_update().filter(evaluation=evaluation, member=member).first()
    if sheet is not None:
        sheet.evaluation, sheet.member = evaluation, member  # already loaded: the audit names them
    if sheet is None:
        return ScoreSheet(evaluation=evaluation, member=member), None
    return sheet, snapshot(sheet)


def score_choose(*, user: User, evaluation: Evaluation, code: str, option: int | None) -> ScoreSheet:
    """One choice of a member, saved as it is entered (the page's autosave of one criterion)."""
    return score_save(user=user, evaluation=evaluation, choices=[(code, option)])


def score_submit(*, user: User, evaluation: Evaluation) -> ScoreSheet:
    return score_save(user=user, evaluation=evaluation, choices=[], submit=True)


@transaction.atomic
def score_save(
    *,
    user: User,
    evaluation: Evaluation,
    choices: Sequence[tuple[str, int | None]],
    submit: bool = False,
) -> ScoreSheet:
    """A member's choices (criterion code, option or None to clear), then the sheet submitted if asked: all
    or nothing, so one bad option leaves none of the others saved. A sheet is submitted only when every
    criterion has an option. A change after submitting re-opens the sheet."""
    evaluation = _locked(evaluation)
    sheet, before = _own_sheet(evaluation, user)
    criteria = evaluation.dossier.criteria_version.sheet
    chosen = sheet.choices
    for code, option in choices:
        try:
            chosen = _check_choice(criteria, chosen, code, option)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    changed = chosen != sheet.choices or sheet.pk is None
    was_submitted = sheet.submitted_at is not None
    if changed:
        score = score_member(criteria, chosen)
        sheet.choices, sheet.total, sheet.parts = chosen, score.total, score.parts
        sheet.submitted_at = None
    if submit:
        missing = unanswered(criteria, chosen)
        if missing:
            raise ValidationError(missing_sentence(missing, "chưa chấm") + " Chấm đủ rồi mới nộp phiếu được.")
        sheet.submitted_at = timezone.now()
    if not (changed or submit):
        return sheet
    sheet.save()
    audit_saved(user=user, instance=sheet, before=before)
    # An unsubmitted sheet cannot change a result that is still waiting for sheets.
    waiting = evaluation.status in {EvaluationStatus.SCORING, EvaluationStatus.NO_QUORUM}
    if submit or was_submitted or not waiting:
        evaluation_refresh(evaluation)
    return sheet


def _clear_result(evaluation: Evaluation, status: str) -> None:
    evaluation.status = status
    evaluation.average = evaluation.band_stars = evaluation.stars = None
    evaluation.parts, evaluation.held_back_by, evaluation.explanation = {}, [], ""
    evaluation.spread_blocked = False


def evaluation_refresh(evaluation: Evaluation) -> Evaluation:
    """Recompute the stored result from the members' sheets: none until the attendance is recorded, none
    without quorum, nothing while a member present has not submitted; blocked while two totals differ by 10
    or more and the chair has not explained it. (Called by the audited writes that change its inputs.)"""
    if evaluation.status in SETTLED:
        return evaluation
    quorum = session_quorum(evaluation.session)
    expected = expected_members(evaluation)
    sheets = {s.member_id: s for s in evaluation.sheets.all()}
    done = [sheets[m.pk] for m in expected if m.pk in sheets and sheets[m.pk].submitted_at]
    criteria = evaluation.dossier.criteria_version.sheet
    if quorum.recorded and not quorum.met:
        _clear_result(evaluation, EvaluationStatus.NO_QUORUM)
        evaluation.explanation = quorum.sentence
    elif not quorum.recorded or not expected or len(done) < len(expected):
        _clear_result(evaluation, EvaluationStatus.SCORING)
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


def _chair(evaluation: Evaluation, user: User) -> None:
    member = member_of(evaluation, user)
    if member is None or member.role != MemberRole.CHAIR:
        raise PermissionDenied


@transaction.atomic
def evaluation_explain_spread(*, user: User, evaluation: Evaluation, text: str) -> Evaluation:
    """The chair's written explanation that lets a result with a spread ≥ 10 stand."""
    _chair(evaluation, user)
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
    _chair(evaluation, user)
    if evaluation.status in SETTLED:
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
