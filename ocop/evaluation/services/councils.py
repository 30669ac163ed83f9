"""Writes of councils: setting one up, its members, its sessions and who attended, and putting a dossier
before a session.

Who may set up a council of which level comes from the periods table (ocop.legal.periods, step COUNCIL):
the district officer a district council while districts existed, the province officer a provincial one, the
ministry's officer the central one. Every write leaves an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ocop.accounts.roles import OFFICER_ROLES, Role
from ocop.core.audit import audit_create, audit_record, audit_saved, audit_update, snapshot
from ocop.core.models import AuditLog
from ocop.core.scoping import CHANGE
from ocop.legal.authority import authorise, role_of
from ocop.legal.periods import COUNCIL, DISTRICT, LEVEL_NAMES, MINISTRY, PROVINCE, periods_in_year

from ..choices import SETTLED, DossierStatus, MemberRole
from ..flow import dossier_period, forwarded_evaluation
from ..models import Council, CouncilMember, Dossier, Evaluation, Session
from ..selectors import council_list

if TYPE_CHECKING:
    from ocop.accounts.models import User
    from ocop.geography.models import AdminUnit

UNIT_LEVEL = {DISTRICT: "district", PROVINCE: "province"}


def may_run_level(user: User, level: str, year: int) -> str | None:
    """Why the user may not set up or run a council of ``level`` for a round of ``year`` (the latest period of
    the year that refuses), or None when some period of that year lets them."""
    role = role_of(user)
    problems = []
    for period in reversed(periods_in_year(year)):
        problem = period.refusal(COUNCIL, level, role)
        if problem is None:
            return None
        problems.append(problem)
    return problems[0] if problems else f"Năm {year} chưa có quy trình đánh giá, phân hạng OCOP quốc gia."


def _manage(user: User, council: Council) -> None:
    """The user runs this council: it is in their scope and the table lets their role run its level."""
    if not council_list(user=user).filter(pk=council.pk).exists():
        raise PermissionDenied
    problem = may_run_level(user, council.level, council.year)
    if problem:
        raise ValidationError(problem)


@transaction.atomic
def council_create(
    *,
    user: User,
    level: str,
    year: int,
    round_number: int,
    name: str,
    unit: AdminUnit | None = None,
    rules: str = "",
    quorum_percent: int = 75,
    chair_required: bool = True,
) -> Council:
    """A council of ``level`` for a round of ``year``, bound to the officer's unit (the ministry's council to
    none); refused with the rule when the table does not let the user's role set up that level that year."""
    problem = may_run_level(user, level, year)
    if problem:
        raise ValidationError(problem)
    if user.role in OFFICER_ROLES:
        unit = user.unit
    elif user.role == Role.MINISTRY_OFFICER:
        unit = None
    if level == MINISTRY and unit is not None:
        raise ValidationError("Hội đồng cấp trung ương không gắn với đơn vị hành chính địa phương.")
    if level in UNIT_LEVEL and unit is not None and unit.level != UNIT_LEVEL[level]:
        raise ValidationError(f"Hội đồng {LEVEL_NAMES[level]} phải gắn với đơn vị {LEVEL_NAMES[level]}.")
    council = Council(
        level=level,
        year=year,
        round_number=round_number,
        name=name.strip(),
        unit=unit,
        rules=rules.strip(),
        quorum_percent=quorum_percent,
        chair_required=chair_required,
        created_by=user,
    )
    council.full_clean()
    council.save()
    audit_create(user=user, instance=council)
    return council


@transaction.atomic
def council_member_add(*, user: User, council: Council, member_user: User, role: str) -> CouncilMember:
    _manage(user, council)
    if member_user.role != Role.COUNCIL_MEMBER or not member_user.is_active:
        raise ValidationError("Chỉ thêm tài khoản thành viên hội đồng đang hoạt động.")
    if role not in MemberRole.values:
        raise ValidationError("Vai trò không hợp lệ.")
    chair = council.members.filter(role=MemberRole.CHAIR).exclude(user=member_user)
    if role == MemberRole.CHAIR and chair.exists():
        raise ValidationError("Hội đồng đã có chủ tịch.")
    member = CouncilMember.objects.filter(council=council, user=member_user).first()
    before = snapshot(member) if member else None
    if member is None:
        member = CouncilMember(council=council, user=member_user)
    member.role = role
    member.full_clean()
    member.save()
    audit_saved(user=user, instance=member, before=before)
    return member


@transaction.atomic
def session_create(*, user: User, council: Council, date: dt.date, place: str = "") -> Session:
    """A session of the council on ``date``; the level must exist on that date (no district council from
    01/07/2025) and the user's role must run it under the rules of that date."""
    _manage(user, council)
    authorise(user, step=COUNCIL, level=council.level, day=date)
    session = Session(council=council, date=date, place=place.strip())
    session.full_clean()
    session.save()
    audit_create(user=user, instance=session)
    return session


@transaction.atomic
def session_attendance_record(*, user: User, session: Session, members: Iterable[CouncilMember]) -> Session:
    """Who attended the session. Its results count only with the quorum of the council's rules; a session
    without quorum is kept, and its sheets make no result."""
    from .scoring import evaluation_refresh

    session = Session.objects.select_for_update().get(pk=session.pk)
    council = session.council
    _manage(user, council)
    authorise(user, step=COUNCIL, level=council.level, day=session.date)
    chosen = list(members)
    if any(member.council_id != council.pk for member in chosen):
        raise ValidationError("Chỉ ghi thành viên của hội đồng này.")
    evaluations = list(session.evaluations.select_for_update())
    if any(evaluation.status in SETTLED for evaluation in evaluations):
        raise ValidationError("Phiên họp đã có kết quả được chốt: không sửa danh sách dự họp.")
    before = sorted(str(m) for m in session.attendees.all())
    session.attendees.set(chosen)
    session.attendance_recorded_at = timezone.now()
    session.save(update_fields=["attendance_recorded_at"])
    after = sorted(str(m) for m in chosen)
    audit_record(
        user=user, action=AuditLog.Action.UPDATE, instance=session, changes={"attendees": [before, after]}
    )
    for evaluation in evaluations:
        evaluation_refresh(evaluation)
    return session


@transaction.atomic
def evaluation_open(*, user: User, dossier: Dossier, session: Session) -> Evaluation:
    """Put a dossier before a council session: one checked by the advisory team of the level that received it,
    or one proposed up to this session's level by the council below."""
    _manage(user, session.council)
    authorise(user, step=COUNCIL, level=session.council.level, day=session.date)
    if not Dossier.objects.for_user(user, CHANGE).filter(pk=dossier.pk).exists():
        raise PermissionDenied
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    level = session.council.level
    if dossier.status == DossierStatus.CHECKED:
        holder = dossier_period(dossier).intake[-1]
        if holder != level:
            raise ValidationError(
                f"Hồ sơ do {LEVEL_NAMES[holder]} tiếp nhận: đưa ra hội đồng {LEVEL_NAMES[holder]}, "
                f"không phải hội đồng {LEVEL_NAMES[level]}."
            )
    elif dossier.status == DossierStatus.FORWARDED:
        lower = forwarded_evaluation(dossier)
        if lower is None or lower.forwarded_to != level:
            target = LEVEL_NAMES.get(lower.forwarded_to, "") if lower else ""
            raise ValidationError(f"Hồ sơ được đề nghị lên {target}, không phải {LEVEL_NAMES[level]}.")
    else:
        raise ValidationError(
            "Chỉ đưa ra hội đồng hồ sơ tổ tư vấn đã kiểm tra (hoặc được cấp dưới đề nghị lên cấp này)."
        )
    evaluation = Evaluation(dossier=dossier, session=session)
    evaluation.full_clean()
    evaluation.save()
    before = snapshot(dossier)
    dossier.status = DossierStatus.IN_COUNCIL
    dossier.save()
    audit_create(user=user, instance=evaluation)
    audit_update(user=user, instance=dossier, before=before)
    return evaluation
