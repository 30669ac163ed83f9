"""Councils, scoring on screen (autosaved per criterion), results, forwarding, returns and decisions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.http import SignedInRequest
from ocop.accounts.roles import Role
from ocop.core.confirm import Confirmed, run_confirmed
from ocop.legal.authority import role_of
from ocop.legal.periods import COUNCIL, DECIDE, FORWARD, LEVEL_NAMES, PERIODS, RETURN_DOWN, period_on

from ..choices import SCORING_ROLES, SETTLED, CouncilLevel, EvaluationStatus, MemberRole
from ..flow import forwarded_evaluation
from ..forms import (
    AttendanceForm,
    CouncilForm,
    DecisionForm,
    ForwardForm,
    MemberForm,
    NoteForm,
    ReturnDownForm,
    SessionForm,
)
from ..models import CommuneAssessment, Evaluation
from ..review import review_of
from ..selectors import council_list, evaluation_list, sheet_rows
from ..services import councils as services
from ..services import results, scoring
from ._common import flash_errors


def _levels_run_by(user) -> list[str]:
    """Council levels the periods table lets this user's role run in some period."""
    role = role_of(user)
    return [level for level in CouncilLevel.values if any(p.allows(COUNCIL, level, role) for p in PERIODS)]


@login_required
def council_list_view(request: SignedInRequest) -> HttpResponse:
    user = request.user
    levels = _levels_run_by(user)
    form = (
        CouncilForm(request.POST or None, initial={"year": dt.date.today().year}, levels=levels)
        if levels
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                council = services.council_create(user=user, **form.cleaned_data)
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, "Đã lập hội đồng.")
                return redirect("evaluation:council_detail", pk=council.pk)
    councils = council_list(user=user).select_related("unit").prefetch_related("members")
    return render(request, "evaluation/council_list.html", {"councils": councils, "form": form})


@login_required
def council_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    council = get_object_or_404(council_list(user=user), pk=pk)
    manager = (
        services.may_run_level(user, council.level, council.year) is None and user.role != Role.COUNCIL_MEMBER
    )
    member_form = MemberForm(prefix="m") if manager else None
    session_form = SessionForm(prefix="s") if manager else None
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        try:
            if "m-user" in request.POST:
                member_form = MemberForm(request.POST, prefix="m")
                if member_form.is_valid():
                    services.council_member_add(
                        user=user,
                        council=council,
                        member_user=member_form.cleaned_data["user"],
                        role=member_form.cleaned_data["role"],
                    )
                    messages.success(request, "Đã thêm thành viên.")
                    return redirect("evaluation:council_detail", pk=pk)
            elif "attendance-session" in request.POST:
                session = get_object_or_404(council.sessions, pk=request.POST["attendance-session"])
                form = AttendanceForm(request.POST, prefix=f"a{session.pk}", council=council)
                if form.is_valid():
                    services.session_attendance_record(
                        user=user, session=session, members=form.cleaned_data["members"]
                    )
                    messages.success(request, f"Đã ghi danh sách dự phiên họp {session.date:%d/%m/%Y}.")
                    return redirect("evaluation:council_detail", pk=pk)
            else:
                session_form = SessionForm(request.POST, prefix="s")
                if session_form.is_valid():
                    services.session_create(user=user, council=council, **session_form.cleaned_data)
                    messages.success(request, "Đã thêm phiên họp.")
                    return redirect("evaluation:council_detail", pk=pk)
        except ValidationError as exc:
            flash_errors(request, exc)
    sessions = list(council.sessions.prefetch_related("evaluations__dossier__product", "attendees"))
    if user.role == Role.COUNCIL_MEMBER:
        visible = set(evaluation_list(user=user).values_list("pk", flat=True))
    else:
        visible = None
    session_rows = []
    for session in sessions:
        settled = any(ev.status in SETTLED for ev in session.evaluations.all())
        form = None
        if manager and not settled:
            form = AttendanceForm(
                prefix=f"a{session.pk}",
                council=council,
                initial={"members": list(session.attendees.all())},
            )
        session_rows.append((session, scoring.session_quorum(session), form))
    return render(
        request,
        "evaluation/council_detail.html",
        {
            "council": council,
            "members": council.members.select_related("user"),
            "session_rows": session_rows,
            "visible": visible,
            "member_form": member_form,
            "session_form": session_form,
        },
    )


def _member_sheet(evaluation: Evaluation, user):
    member = scoring.member_of(evaluation, user)
    if member is None or member.role not in SCORING_ROLES:
        return member, None
    return member, evaluation.sheets.filter(member=member).first()


@login_required
def evaluation_score_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """A member's score sheet: every criterion with its options, the commune's scoring (two-level flow) and
    the producer's evidence beside it. Each choice is saved by an htmx POST as it is made."""
    evaluation = get_object_or_404(evaluation_list(user=request.user), pk=pk)
    member, sheet = _member_sheet(evaluation, request.user)
    if member is None or member.role not in SCORING_ROLES:
        raise Http404
    if request.method == "POST":
        return _score_post(request, evaluation)
    dossier = evaluation.dossier
    criteria = dossier.criteria_version.sheet
    choices = sheet.choices if sheet else {}
    links = list(dossier.evidence_links.select_related("evidence"))
    assessment = CommuneAssessment.objects.filter(dossier=dossier).first()
    return render(
        request,
        "evaluation/score.html",
        {
            "evaluation": evaluation,
            "dossier": dossier,
            "version": dossier.criteria_version,
            "parts": sheet_rows(
                criteria,
                choices=choices,
                self_assessment=dossier.self_assessment,
                links=links,
                commune=assessment.choices if assessment else None,
            ),
            "sheet": sheet,
            "sheet_state": _sheet_state(sheet),
            "review": review_of(criteria, choices),
            "locked": evaluation.status in SETTLED,
        },
    )


def _total_fragment(evaluation: Evaluation, sheet) -> str:
    """The sheet's total as the server computes it (the authority), replacing the page's running total."""
    criteria = evaluation.dossier.criteria_version.sheet
    return render_to_string(
        "evaluation/_score_total.html",
        {
            "review": review_of(criteria, sheet.choices if sheet else {}),
            "label": "Tổng",
            "state": _sheet_state(sheet),
            "oob": True,
        },
    )


def _sheet_state(sheet) -> str:
    return "đã nộp" if sheet and sheet.submitted_at else "chưa nộp"


def _score_post(request: SignedInRequest, evaluation: Evaluation) -> HttpResponse:
    """Saves choices: one criterion (htmx autosave) or the whole form (without JavaScript). Submitting is the
    review page's (``evaluation_score_review``), after the member has seen the total and what is missing."""
    from django.utils.html import escape

    code = request.POST.get("code")
    pairs = (
        [(code, request.POST.get(f"opt-{code}"))]
        if code
        else [(key[4:], value) for key, value in request.POST.items() if key.startswith("opt-")]
    )
    try:
        choices = [(c, int(value) if value not in (None, "") else None) for c, value in pairs]
        sheet = (
            scoring.score_save(user=request.user, evaluation=evaluation, choices=choices) if choices else None
        )
    except (ValidationError, ValueError) as exc:
        text = exc.messages[0] if isinstance(exc, ValidationError) else "Phương án không hợp lệ."
        if request.htmx:
            return HttpResponse(f'<span class="ev-error" role="alert">Chưa lưu: {escape(text)}</span>')
        messages.error(request, text)
        return redirect("evaluation:evaluation_score", pk=evaluation.pk)
    if request.htmx:
        return HttpResponse('<span class="ev-saved">✓ Đã lưu</span>' + _total_fragment(evaluation, sheet))
    if request.POST.get("review"):
        return redirect("evaluation:evaluation_score_review", pk=evaluation.pk)
    messages.success(request, "Đã lưu phiếu chấm.")
    return redirect("evaluation:evaluation_score", pk=evaluation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_score_review_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """The review step before a member submits a sheet: its total and parts, the criteria still unanswered
    (linked to their rows; a sheet with any cannot be submitted), then one explicit confirmation."""
    evaluation = get_object_or_404(evaluation_list(user=request.user), pk=pk)
    member, sheet = _member_sheet(evaluation, request.user)
    if member is None or member.role not in SCORING_ROLES:
        raise Http404
    if evaluation.status in SETTLED:
        messages.error(request, "Kết quả đã chốt, không nộp phiếu được nữa.")
        return redirect("evaluation:evaluation_score", pk=pk)
    criteria = evaluation.dossier.criteria_version.sheet
    if request.method == "POST":
        try:
            sheet = scoring.score_submit(user=request.user, evaluation=evaluation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))  # shown in the page's error summary
        else:
            messages.success(request, f"Đã nộp phiếu chấm: {sheet.total} điểm.")
            return redirect("evaluation:evaluation_detail", pk=pk)
    review = review_of(criteria, sheet.choices if sheet else {})
    others = [m.pk for m in scoring.expected_members(evaluation) if m.pk != member.pk]
    done = evaluation.sheets.filter(member_id__in=others, submitted_at__isnull=False).count()
    return render(
        request,
        "evaluation/score_review.html",
        {
            "evaluation": evaluation,
            "dossier": evaluation.dossier,
            "sheet": sheet,
            "review": review,
            "others_waiting": len(others) - done,
        },
    )


def _may(user, step: str, level: str, day: dt.date) -> bool:
    try:
        return period_on(day).allows(step, level, role_of(user))
    except LookupError:
        return False


@login_required
def evaluation_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    evaluation = get_object_or_404(evaluation_list(user=user), pk=pk)
    council = evaluation.session.council
    members = scoring.scoring_members(evaluation)
    sheets = {s.member_id: s for s in evaluation.sheets.all()}
    member = scoring.member_of(evaluation, user)
    is_chair = member is not None and member.role == MemberRole.CHAIR
    show_members = user.role != Role.PRODUCER
    today = dt.date.today()
    forward = results.forward_level(evaluation)
    decidable = results.decidable_stars(evaluation, today) or results.decidable_stars(evaluation)
    level = council.level
    can_decide = decidable is not None and _may(user, DECIDE, level, today)
    lower = forwarded_evaluation(evaluation.dossier, to_level=level)
    can_return_down = (
        evaluation.status == EvaluationStatus.COMPLETE
        and lower is not None
        and _may(user, RETURN_DOWN, level, today)
    )
    present = set(evaluation.session.attendees.values_list("pk", flat=True))
    recorded = evaluation.session.attendance_recorded_at is not None
    context = {
        "evaluation": evaluation,
        "dossier": evaluation.dossier,
        "council": council,
        "quorum": scoring.session_quorum(evaluation.session),
        "member_rows": [(m, sheets.get(m.pk), (m.pk in present) if recorded else None) for m in members]
        if show_members
        else [],
        "waiting": sum(
            1
            for m in scoring.expected_members(evaluation)
            if not (sheets.get(m.pk) and sheets[m.pk].submitted_at)
        ),
        "is_member": member is not None and member.role in SCORING_ROLES,
        "is_chair": is_chair,
        "explain_form": NoteForm() if is_chair and evaluation.spread_blocked else None,
        "knockout_options": evaluation.dossier.criteria_version.sheet.knockouts() if is_chair else [],
        "forward": forward,
        "forward_label": LEVEL_NAMES.get(forward or "", ""),
        "forward_form": ForwardForm(initial={"date": today}, auto_id="fw-%s")
        if forward and _may(user, FORWARD, level, today)
        else None,
        "lower": lower,
        "return_form": ReturnDownForm(initial={"date": today}, auto_id="rd-%s") if can_return_down else None,
        "decidable": decidable,
        "decision_form": DecisionForm(initial={"date": today}, auto_id="dc-%s") if can_decide else None,
        "commune": CommuneAssessment.objects.for_user(user).filter(dossier=evaluation.dossier).first(),
        "show_documents": show_members,
    }
    return render(request, "evaluation/evaluation_detail.html", context)


# Irreversible actions on a result: each asks once, saying what will happen (ocop.core.confirm).
RESULT_ACTIONS = {
    "forward": Confirmed(
        form=ForwardForm,
        invalid="Cần số và ngày công văn đề nghị.",
        plan=results.forward_plan,
        run=results.evaluation_forward,
        title=lambda plan: f"Đề nghị {LEVEL_NAMES[plan.to_level]} đánh giá",
        button="Xác nhận gửi đề nghị",
        done=lambda plan: f"Đã đề nghị {LEVEL_NAMES[plan.to_level]} đánh giá hồ sơ.",
    ),
    "return": Confirmed(
        form=ReturnDownForm,
        invalid="Cần ý kiến và ngày trả về.",
        plan=results.return_down_plan,
        run=results.evaluation_return_down,
        title=lambda plan: "Trả kết quả về cấp dưới",
        button="Xác nhận trả về",
        done=lambda plan: f"Đã trả kết quả về {LEVEL_NAMES[plan.lower.session.council.level]}.",
        danger=True,
    ),
    "decide": Confirmed(
        form=DecisionForm,
        invalid="Cần số và ngày quyết định.",
        plan=results.decision_plan,
        run=results.decision_record,
        title=lambda plan: f"Ghi quyết định công nhận {plan.stars} sao",
        button="Xác nhận ghi quyết định",
        done=lambda plan: "Đã ghi quyết định công nhận; giấy chứng nhận đã được cấp.",
    ),
}


@login_required
@require_POST
def evaluation_action_view(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    evaluation = get_object_or_404(evaluation_list(user=user), pk=pk)
    back = reverse("evaluation:evaluation_detail", args=[pk])
    try:
        if action == "explain":
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Cần nội dung giải trình.")
            scoring.evaluation_explain_spread(
                user=user, evaluation=evaluation, text=form.cleaned_data["note"]
            )
            messages.success(request, "Đã ghi giải trình của chủ tịch hội đồng.")
        elif action == "knockouts":
            scoring.evaluation_knockouts_set(
                user=user, evaluation=evaluation, codes=request.POST.getlist("knockout")
            )
            messages.success(request, "Đã ghi điểm liệt.")
        elif action in RESULT_ACTIONS:
            page = run_confirmed(request, RESULT_ACTIONS[action], back_url=back, evaluation=evaluation)
            if page is not None:
                return page
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("evaluation:evaluation_detail", pk=pk)
