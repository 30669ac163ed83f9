"""Councils, scoring on screen (autosaved per criterion), results, forwarding and decisions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ocop.accounts.roles import Role
from ocop.certification.documents import document_response

from ..choices import SCORING_ROLES, CouncilLevel, EvaluationStatus, MemberRole
from ..forms import AssignForm, CouncilForm, DecisionForm, MemberForm, NoteForm, SessionForm
from ..models import Evaluation, Session
from ..selectors import council_list, evaluation_list, sheet_rows
from ..services import councils as services
from ._common import flash_errors


def _is_manager(user) -> bool:
    return user.is_admin_role or user.role in {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER}


@login_required
def council_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = (
        CouncilForm(request.POST or None, initial={"year": dt.date.today().year})
        if _is_manager(user)
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
def council_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    council = get_object_or_404(council_list(user=user), pk=pk)
    manager = _is_manager(user)
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
            else:
                session_form = SessionForm(request.POST, prefix="s")
                if session_form.is_valid():
                    services.session_create(user=user, council=council, **session_form.cleaned_data)
                    messages.success(request, "Đã thêm phiên họp.")
                    return redirect("evaluation:council_detail", pk=pk)
        except ValidationError as exc:
            flash_errors(request, exc)
    sessions = council.sessions.prefetch_related("evaluations__dossier__product")
    if user.role == Role.COUNCIL_MEMBER:
        visible = set(evaluation_list(user=user).values_list("pk", flat=True))
    else:
        visible = None
    return render(
        request,
        "evaluation/council_detail.html",
        {
            "council": council,
            "members": council.members.select_related("user"),
            "sessions": sessions,
            "visible": visible,
            "member_form": member_form,
            "session_form": session_form,
        },
    )


def _member_sheet(evaluation: Evaluation, user):
    member = services.member_of(evaluation, user)
    if member is None or member.role not in SCORING_ROLES:
        return member, None
    return member, evaluation.sheets.filter(member=member).first()


@login_required
def evaluation_score_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's score sheet: every criterion with its options and the producer's evidence beside it.
    Each choice is saved by an htmx POST as it is made; the page renders what is saved."""
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
    return render(
        request,
        "evaluation/score.html",
        {
            "evaluation": evaluation,
            "dossier": dossier,
            "version": dossier.criteria_version,
            "parts": sheet_rows(
                criteria, choices=choices, self_assessment=dossier.self_assessment, links=links
            ),
            "sheet": sheet,
            "locked": evaluation.status in {EvaluationStatus.DECIDED, EvaluationStatus.FORWARDED},
        },
    )


def _total_fragment(sheet) -> str:
    total = sheet.total if sheet else 0
    parts = " · ".join(f"{k} {v}" for k, v in (sheet.parts if sheet else {}).items())
    state = "đã nộp" if sheet and sheet.submitted_at else "chưa nộp"
    return (
        f'<span id="ev-total" hx-swap-oob="true"><strong>Tổng: {total} điểm</strong> '
        f'<span class="muted">({parts}; phiếu {state})</span></span>'
    )


def _score_post(request: HttpRequest, evaluation: Evaluation) -> HttpResponse:
    code = request.POST.get("code")
    pairs = (
        [(code, request.POST.get(f"opt-{code}"))]
        if code
        else [(key[4:], value) for key, value in request.POST.items() if key.startswith("opt-")]
    )
    submit = not code and bool(request.POST.get("submit"))
    try:
        choices = [(c, int(value) if value not in (None, "") else None) for c, value in pairs]
        sheet = (
            services.score_save(user=request.user, evaluation=evaluation, choices=choices, submit=submit)
            if choices or submit
            else None
        )
        if submit:
            messages.success(request, f"Đã nộp phiếu chấm: {sheet.total} điểm.")
    except (ValidationError, ValueError) as exc:
        text = exc.messages[0] if isinstance(exc, ValidationError) else "Phương án không hợp lệ."
        if request.htmx:
            return HttpResponse(f'<span class="ev-error" role="alert">Chưa lưu: {text}</span>')
        messages.error(request, text)
        return redirect("evaluation:evaluation_score", pk=evaluation.pk)
    if request.htmx:
        return HttpResponse('<span class="ev-saved">✓ Đã lưu</span>' + _total_fragment(sheet))
    if not request.POST.get("submit"):
        messages.success(request, "Đã lưu phiếu chấm.")
    return redirect("evaluation:evaluation_score", pk=evaluation.pk)


@login_required
def evaluation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    evaluation = get_object_or_404(evaluation_list(user=user), pk=pk)
    members = services.scoring_members(evaluation)
    sheets = {s.member_id: s for s in evaluation.sheets.all()}
    member = services.member_of(evaluation, user)
    is_chair = member is not None and member.role == MemberRole.CHAIR
    show_members = user.role != Role.PRODUCER
    forward = services.forward_level(evaluation)
    decidable = services.decidable_stars(evaluation)
    can_decide = decidable is not None and (user.is_admin_role or user.role == Role.PROVINCE_OFFICER)
    forward_sessions = Session.objects.filter(
        council__in=council_list(user=user), council__level=forward or "-"
    )
    context = {
        "evaluation": evaluation,
        "dossier": evaluation.dossier,
        "council": evaluation.session.council,
        "member_rows": [(m, sheets.get(m.pk)) for m in members] if show_members else [],
        "waiting": sum(1 for m in members if not (sheets.get(m.pk) and sheets[m.pk].submitted_at)),
        "is_member": member is not None and member.role in SCORING_ROLES,
        "is_chair": is_chair,
        "explain_form": NoteForm() if is_chair and evaluation.spread_blocked else None,
        "knockout_options": evaluation.dossier.criteria_version.sheet.knockouts() if is_chair else [],
        "forward": forward,
        "forward_label": CouncilLevel(forward).label if forward else "",
        "forward_form": AssignForm(sessions=forward_sessions)
        if forward and _is_manager(user) and evaluation.status == EvaluationStatus.COMPLETE
        else None,
        "decidable": decidable,
        "decision_form": DecisionForm(initial={"date": dt.date.today()}) if can_decide else None,
    }
    return render(request, "evaluation/evaluation_detail.html", context)


@login_required
@require_POST
def evaluation_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    evaluation = get_object_or_404(evaluation_list(user=user), pk=pk)
    try:
        if action == "submit":
            sheet = services.score_submit(user=user, evaluation=evaluation)
            messages.success(request, f"Đã nộp phiếu chấm: {sheet.total} điểm.")
        elif action == "explain":
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Cần nội dung giải trình.")
            services.evaluation_explain_spread(
                user=user, evaluation=evaluation, text=form.cleaned_data["note"]
            )
            messages.success(request, "Đã ghi giải trình của chủ tịch hội đồng.")
        elif action == "knockouts":
            services.evaluation_knockouts_set(
                user=user, evaluation=evaluation, codes=request.POST.getlist("knockout")
            )
            messages.success(request, "Đã ghi điểm liệt.")
        elif action == "forward":
            sessions = Session.objects.filter(council__in=council_list(user=user))
            form = AssignForm(request.POST, sessions=sessions)
            if not form.is_valid():
                raise ValidationError("Chọn phiên họp của hội đồng cấp trên.")
            new = services.evaluation_forward(
                user=user, evaluation=evaluation, session=form.cleaned_data["session"]
            )
            messages.success(request, f"Đã chuyển hồ sơ lên {new.session}.")
        elif action == "decide":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Cần số và ngày quyết định.")
            services.decision_record(user=user, evaluation=evaluation, **form.cleaned_data)
            messages.success(request, "Đã ghi quyết định công nhận; giấy chứng nhận đã được cấp.")
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("evaluation:evaluation_detail", pk=pk)


@login_required
def certificate_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    from ..pdf import certificate_pdf

    evaluation = get_object_or_404(evaluation_list(user=request.user).select_related("event"), pk=pk)
    if evaluation.status != EvaluationStatus.DECIDED or evaluation.event is None:
        raise Http404
    data = certificate_pdf(evaluation=evaluation, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-ocop-{evaluation.pk}.pdf"'
    return response


def _decided(user):
    return (
        evaluation_list(user=user)
        .filter(status=EvaluationStatus.DECIDED)
        .select_related("event", "dossier__product__commune")
    )


@login_required
def decision_list_view(request: HttpRequest) -> HttpResponse:
    decisions: dict[tuple, list] = {}
    for ev in _decided(request.user).order_by("-decision_date", "decision_number", "id"):
        decisions.setdefault((ev.decision_number, ev.decision_date), []).append(ev)
    return render(request, "evaluation/decision_list.html", {"decisions": decisions.items()})


@login_required
def decision_document_view(request: HttpRequest, fmt: str) -> HttpResponse:
    """The decision as PDF or DOCX (same content), for the products the user may see."""
    from ..pdf import recognition_decision

    number = request.GET.get("so", "")
    try:
        date = dt.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError as exc:
        raise Http404 from exc
    evaluations = list(
        _decided(request.user)
        .filter(decision_number=number, decision_date=date)
        .select_related("dossier__entity", "dossier__product__commune__province")
        .order_by("id")
    )
    if not evaluations:
        raise Http404
    doc = recognition_decision(
        number=number, date=date, signer=evaluations[0].decision_signer, evaluations=evaluations
    )
    return document_response(doc, fmt)
