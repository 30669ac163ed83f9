"""What officers do with a submitted dossier before a council, by the period of its submission:

* until 30/06/2025 the district receives it, its advisory team checks it, the district council scores it;
* from 01/07/2025 the commune scores its own criteria (a partial evaluation shown to the council) and
  proposes the dossier to the province, or returns it; the province receives it and its advisory team checks
  it before the provincial council.

Only the roles the periods table allows act at each step; a refusal names the rule and the decision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ocop.core.audit import audit_create, audit_update, snapshot
from ocop.core.scoping import CHANGE
from ocop.legal.authority import authorise, role_of
from ocop.legal.periods import (
    ASSESS,
    CHECK,
    COMMUNE,
    LEVEL_NAMES,
    PROPOSE,
    RECEIVE,
    RETURN,
    STEP_NAMES,
    Period,
)

from ..choices import DossierStatus
from ..flow import awaits_receipt, commune_criteria, dossier_period, holding_level, submission_day
from ..models import CommuneAssessment, Dossier, SupplementRequest
from .dossiers import _check_choice

if TYPE_CHECKING:
    from ocop.accounts.models import User


def _locked(user: User, dossier: Dossier) -> Dossier:
    """The dossier, locked and fresh from the database, when the user may change it."""
    if not Dossier.objects.for_user(user, CHANGE).filter(pk=dossier.pk).exists():
        raise PermissionDenied
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _at(dossier: Dossier, step: str, user: User) -> tuple[Period, str]:
    """(period, level) for doing ``step`` on the dossier where it stands now; refused with the rule when the
    dossier is not held at a level, or the user's role may not do the step there."""
    period = dossier_period(dossier)
    level = holding_level(dossier, period)
    if level is None:
        status = dossier.get_status_display()
        raise ValidationError(f"Hồ sơ đang ở trạng thái “{status}”: không thể {STEP_NAMES[step]}.")
    authorise(user, step=step, level=level, day=submission_day(dossier))
    return period, level


# -- the commune's partial evaluation (two-level flow) -----------------------------------------------------
def _commune_stage(user: User, dossier: Dossier, step: str) -> Period:
    period = dossier_period(dossier)
    if COMMUNE not in period.intake:
        raise ValidationError(period.refusal(step, COMMUNE, role_of(user)) or "")
    if holding_level(dossier, period) != COMMUNE:
        raise ValidationError("Hồ sơ không còn ở bước xã chấm và đề xuất.")
    authorise(user, step=step, level=COMMUNE, day=submission_day(dossier))
    return period


@transaction.atomic
def commune_choose(*, user: User, dossier: Dossier, code: str, option: int | None) -> CommuneAssessment:
    """The commune officer's option for one of the commune's criteria, saved as it is picked."""
    dossier = _locked(user, dossier)
    period = _commune_stage(user, dossier, ASSESS)
    codes = [crit.code for crit in commune_criteria(dossier, period)]
    if code not in codes:
        raise ValidationError(f"Tiêu chí {code} không thuộc phần cấp xã chấm ({', '.join(codes)}).")
    assessment = CommuneAssessment.objects.select_for_update().filter(dossier=dossier).first()
    before = snapshot(assessment) if assessment else None
    if assessment is None:
        assessment = CommuneAssessment(dossier=dossier)
    sheet = dossier.criteria_version.sheet
    try:
        choices = _check_choice(sheet, assessment.choices, code, option)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if before is not None and choices == assessment.choices:
        return assessment  # the same option again (an autosave repeated): nothing to write
    assessment.choices = choices
    assessment.total = sum(sheet.by_code[c].option(n).points for c, n in choices.items() if n is not None)
    assessment.assessed_by = user
    assessment.save()
    if before is None:
        audit_create(user=user, instance=assessment)
    else:
        audit_update(user=user, instance=assessment, before=before)
    return assessment


@transaction.atomic
def commune_choose_many(
    *, user: User, dossier: Dossier, choices: Mapping[str, int | None]
) -> CommuneAssessment | None:
    """Several of the commune's options at once (the form without JavaScript): all saved, or none."""
    assessment = None
    for code, option in choices.items():
        assessment = commune_choose(user=user, dossier=dossier, code=code, option=option)
    return assessment


@dataclass(frozen=True)
class ProposalPlan:
    dossier: Dossier
    assessment: CommuneAssessment
    to_level: str
    note: str

    def lines(self) -> list[str]:
        scored = ", ".join(f"{c} ({n or 0})" for c, n in self.assessment.choices.items())
        return [
            f"Hồ sơ “{self.dossier.product.name}” được đề xuất lên {LEVEL_NAMES[self.to_level]}; "
            "xã không sửa được phần chấm của mình nữa.",
            f"Phần xã chấm: {self.assessment.total} điểm ({scored}). Hội đồng tỉnh xem phần này bên cạnh "
            "từng tiêu chí.",
            f"Ý kiến đề xuất: {self.note}",
        ]


def propose_plan(*, user: User, dossier: Dossier, note: str) -> ProposalPlan:
    """What proposing the dossier to the province will do; refused when the commune may not yet."""
    period = _commune_stage(user, dossier, PROPOSE)
    assessment = CommuneAssessment.objects.filter(dossier=dossier).first()
    wanted = [crit.code for crit in commune_criteria(dossier, period)]
    missing = [code for code in wanted if assessment is None or code not in assessment.choices]
    if missing:
        raise ValidationError(
            f"Xã cần chấm đủ các tiêu chí của cấp xã trước khi đề xuất: {', '.join(missing)}."
        )
    if not note.strip():
        raise ValidationError("Cần ý kiến đề xuất của xã.")
    assert assessment is not None
    return ProposalPlan(dossier, assessment, period.intake[period.intake.index(COMMUNE) + 1], note.strip())


@transaction.atomic
def dossier_propose(*, user: User, dossier: Dossier, note: str) -> Dossier:
    """The commune proposes the dossier to the province (Decision 1489), with its partial evaluation."""
    dossier = _locked(user, dossier)
    plan = propose_plan(user=user, dossier=dossier, note=note)
    before, assessment_before = snapshot(dossier), snapshot(plan.assessment)
    dossier.status = DossierStatus.PRE_ASSESSED
    dossier.pre_assessment_note = plan.note
    dossier.save()
    plan.assessment.proposed_at = timezone.now()
    plan.assessment.save()
    audit_update(user=user, instance=dossier, before=before)
    audit_update(user=user, instance=plan.assessment, before=assessment_before)
    return dossier


# -- receipt, the advisory team's check, returns --------------------------------------------------------
@transaction.atomic
def dossier_receive(*, user: User, dossier: Dossier) -> Dossier:
    """The last level of the intake takes the dossier in (the district before 01/07/2025; the province, after
    the commune's proposal, from then)."""
    dossier = _locked(user, dossier)
    period = dossier_period(dossier)
    if not awaits_receipt(dossier, period):
        if dossier.status in {DossierStatus.SUBMITTED, DossierStatus.RESUBMITTED}:
            raise ValidationError(
                f"Theo {period.decision.short}, hồ sơ nộp cho {LEVEL_NAMES[period.intake[0]]}; "
                "tỉnh tiếp nhận sau khi xã chấm và đề xuất."
            )
        raise ValidationError("Hồ sơ không ở trạng thái chờ tiếp nhận.")
    authorise(user, step=RECEIVE, level=period.intake[-1], day=submission_day(dossier))
    before = snapshot(dossier)
    dossier.status = DossierStatus.RECEIVED
    dossier.save()
    audit_update(user=user, instance=dossier, before=before)
    return dossier


@transaction.atomic
def dossier_check(*, user: User, dossier: Dossier, note: str) -> Dossier:
    """The advisory team (tổ tư vấn) found the received dossier complete: it may go before the council.
    (A dossier found incomplete is returned with ``dossier_return``.)"""
    dossier = _locked(user, dossier)
    if dossier.status != DossierStatus.RECEIVED:
        raise ValidationError("Chỉ kiểm tra hồ sơ đã tiếp nhận.")
    _at(dossier, CHECK, user)
    if not note.strip():
        raise ValidationError("Cần ý kiến của tổ tư vấn.")
    before = snapshot(dossier)
    dossier.status = DossierStatus.CHECKED
    dossier.advisory_note = note.strip()
    dossier.save()
    audit_update(user=user, instance=dossier, before=before)
    return dossier


@dataclass(frozen=True)
class ReturnPlan:
    dossier: Dossier
    level: str
    requests: list[tuple[str, str]]

    def lines(self) -> list[str]:
        asked = "; ".join(f"{code}: {message}" if code else message for code, message in self.requests)
        return [
            f"Hồ sơ “{self.dossier.product.name}” trở về chủ thể {self.dossier.entity.name} để bổ "
            "sung; chủ thể sửa và nộp lại, các lần nộp đều được lưu.",
            f"Yêu cầu bổ sung ({len(self.requests)}): {asked}",
        ]


def return_plan(*, user: User, dossier: Dossier, requests: list[tuple[str, str]]) -> ReturnPlan:
    """What returning the dossier for supplement will do; refused when the holding level's officer may not."""
    _period, level = _at(dossier, RETURN, user)
    cleaned = [(code.strip(), message.strip()) for code, message in requests if message.strip()]
    if not cleaned:
        raise ValidationError("Cần ít nhất một yêu cầu bổ sung.")
    codes = dossier.criteria_version.sheet.by_code
    for code, _ in cleaned:
        if code and code not in codes:
            raise ValidationError(f"Không có tiêu chí {code}.")
    return ReturnPlan(dossier, level, cleaned)


@transaction.atomic
def dossier_return(*, user: User, dossier: Dossier, requests: list[tuple[str, str]]) -> Dossier:
    """Return for supplement with one request per criterion ("" = the dossier as a whole), by the level that
    holds the dossier (the commune or the province from 01/07/2025; the district before)."""
    dossier = _locked(user, dossier)
    plan = return_plan(user=user, dossier=dossier, requests=requests)
    before = snapshot(dossier)
    number = dossier.submissions.count()
    created = SupplementRequest.objects.bulk_create(
        SupplementRequest(
            dossier=dossier, criterion_code=code, message=message, submission_number=number, created_by=user
        )
        for code, message in plan.requests
    )
    dossier.status = DossierStatus.RETURNED
    dossier.save()
    audit_update(user=user, instance=dossier, before=before)
    for request in created:
        audit_create(user=user, instance=request)
    return dossier
