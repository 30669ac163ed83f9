"""Producer side pages: ideas, dossiers with self-assessment and evidence, officers' actions on them."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.http import SignedInRequest
from ocop.accounts.roles import OFFICER_ROLES, Role
from ocop.core.forms import add_service_errors
from ocop.core.scoping import CHANGE
from ocop.legal.authority import period_for
from ocop.legal.periods import LEVEL_NAMES
from ocop.products.models import Product

from ..choices import IdeaStatus, dossier_steps
from ..flow import commune_criteria, dossier_period
from ..forms import (
    AssignForm,
    DossierCreateForm,
    EvidenceForm,
    IdeaForm,
    IdeaReviewForm,
    NoteForm,
    ReturnForm,
    SubmitReviewForm,
)
from ..models import Dossier, Evidence
from ..review import dom_id, review_of
from ..selectors import (
    answer_of,
    commune_assessment_of,
    dossier_list,
    idea_list,
    sessions_for_dossier,
    sheet_rows,
    submission_compare,
)
from ..services import dossiers as services
from ._common import changeable_dossier, flash_errors, posted_choices, posted_option
from .intake import dossier_actions


@login_required
def idea_create_view(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.PRODUCER or not user.entity_id:
        raise PermissionDenied
    form = IdeaForm(request.POST or None, initial={"year": dt.date.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_submit(user=user, entity=user.entity, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, "Đã gửi ý tưởng sản phẩm; cán bộ xã/huyện sẽ xem xét.")
            return redirect("evaluation:idea_detail", pk=idea.pk)
    return render(request, "evaluation/idea_form.html", {"form": form})


@login_required
def idea_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(idea_list(user=request.user), pk=pk)
    user = request.user
    can_review = idea.status == IdeaStatus.SUBMITTED and (user.is_admin_role or user.role in OFFICER_ROLES)
    form = IdeaReviewForm(request.POST or None) if can_review else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.idea_review(
                user=user,
                idea=idea,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, "Đã ghi kết quả xem xét.")
            return redirect("evaluation:idea_detail", pk=idea.pk)
    return render(request, "evaluation/idea_detail.html", {"idea": idea, "form": form})


@login_required
def dossier_create_view(request: SignedInRequest) -> HttpResponse:
    products = Product.objects.for_user(request.user, CHANGE).filter(product_set__isnull=False)
    if request.user.role != Role.PRODUCER and not request.user.is_admin_role:
        raise PermissionDenied
    initial = {
        "year": dt.date.today().year,
        "product": request.GET.get("product"),
        "kind": request.GET.get("kind"),
    }
    form = DossierCreateForm(request.POST or None, products=products, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, "Đã lập hồ sơ. Hãy tự đánh giá từng tiêu chí và đính kèm minh chứng.")
            return redirect("evaluation:dossier_detail", pk=dossier.pk)
    return render(request, "evaluation/dossier_form.html", {"form": form})


def _dossier_context(request: SignedInRequest, dossier: Dossier) -> dict:
    user = request.user
    sheet = dossier.criteria_version.sheet
    links = list(dossier.evidence_links.select_related("evidence"))
    requests = list(dossier.requests.all())
    is_producer = user.role == Role.PRODUCER or user.is_admin_role
    can_edit = is_producer and dossier.is_editable
    can_change = Dossier.objects.for_user(user, CHANGE).filter(pk=dossier.pk).exists()
    try:
        period = dossier_period(dossier)
    except ValidationError:
        period = None
    steps_of = dossier_steps(period.intake if period else ("district",))
    current = next((i for i, (_label, statuses) in enumerate(steps_of) if dossier.status in statuses), 0)
    steps = [(label, i < current, i == current) for i, (label, _statuses) in enumerate(steps_of)]
    evidenced = {link.criterion_code for link in links}
    parts = sheet_rows(sheet, self_assessment=dossier.self_assessment, links=links, requests=requests)
    if can_edit:
        for part in parts:
            for group in part.groups:
                for row in group.rows:
                    row.evidence_form = EvidenceForm(auto_id=f"{row.dom}-%s")
    actions = dossier_actions(user, dossier, can_change)
    assessment = commune_assessment_of(user=user, dossier=dossier)
    commune_rows = []
    if period is not None and period.commune_criteria:
        chosen = assessment.choices if assessment else {}
        commune_rows = [
            (
                crit,
                dom_id(crit.code),
                answer_of(chosen, crit.code),
                answer_of(dossier.self_assessment, crit.code),
            )
            for crit in commune_criteria(dossier, period)
        ]
    sessions = sessions_for_dossier(user=user, dossier=dossier) if actions["assign"] else None
    context = {
        "dossier": dossier,
        "version": dossier.criteria_version,
        "period": period,
        "parts": parts,
        "steps": steps,
        "can_edit": can_edit,
        "review": review_of(sheet, dossier.self_assessment, evidenced=evidenced),
        "open_requests": [r for r in requests if r.resolved_at is None],
        "submissions": dossier.submissions.all(),
        "evaluations": dossier.evaluations.select_related("session__council"),
        "library": Evidence.objects.filter(entity=dossier.entity).order_by("title") if can_edit else [],
        "assessment": assessment,
        "commune_rows": commune_rows,
        "can_commune": actions["commune"],
        "can_propose": actions["propose"],
        "can_receive": actions["receive"],
        "can_check": actions["check"],
        "can_return": actions["return"],
        "can_assign": actions["assign"] and sessions is not None and sessions.exists(),
        "return_form": ReturnForm(auto_id="rt-%s"),
        "propose_form": NoteForm(auto_id="pp-%s", label="Ý kiến đề xuất của xã"),
        "check_form": NoteForm(auto_id="ck-%s", label="Ý kiến của tổ tư vấn"),
        "assign_form": AssignForm(sessions=sessions) if sessions is not None else None,
        "today": dt.date.today(),
    }
    context["has_actions"] = any(
        context[k] for k in ("can_propose", "can_receive", "can_check", "can_return", "can_assign")
    )
    return context


@login_required
def dossier_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    dossier = get_object_or_404(dossier_list(user=request.user), pk=pk)
    return render(request, "evaluation/dossier_detail.html", _dossier_context(request, dossier))


@login_required
def submission_detail_view(request: SignedInRequest, pk: int, number: int) -> HttpResponse:
    """What was submitted the n-th time, criterion by criterion, beside the previous submission."""
    dossier = get_object_or_404(dossier_list(user=request.user), pk=pk)
    submission = get_object_or_404(dossier.submissions, number=number)
    previous = dossier.submissions.filter(number=number - 1).first()
    sheet = dossier.criteria_version.sheet
    rows = submission_compare(submission, previous, sheet)
    return render(
        request,
        "evaluation/submission_detail.html",
        {
            "dossier": dossier,
            "submission": submission,
            "previous": previous,
            "rows": rows,
            "changed": sum(row.changed for row in rows) if previous else None,
        },
    )


@login_required
@require_POST
def dossier_choose_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Self-assessment autosave: one criterion per htmx POST; without JavaScript, the whole form."""
    dossier = changeable_dossier(request, pk)
    try:
        choices = [(c, posted_option(value)) for c, value in posted_choices(request, "opt-")]
        services.dossier_assess(user=request.user, dossier=dossier, choices=choices)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(f'<span class="ev-error">{escape(exc.messages[0])}</span>', status=200)
        flash_errors(request, exc)
        return redirect("evaluation:dossier_detail", pk=pk)
    if request.htmx:
        return HttpResponse('<span class="ev-saved">✓ Đã lưu</span>')
    messages.success(request, "Đã lưu tự đánh giá.")
    return redirect("evaluation:dossier_detail", pk=pk)


@login_required
@require_POST
def evidence_add_view(request: SignedInRequest, pk: int, code: str) -> HttpResponse:
    dossier = changeable_dossier(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_add(
                user=request.user,
                dossier=dossier,
                code=code,
                title=data["title"],
                upload=data["file"],
                url=data["url"],
                valid_until=data["valid_until"],
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, f"Đã đính kèm minh chứng cho tiêu chí {code}.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{dossier.get_absolute_url()}#{dom_id(code)}")


@login_required
@require_POST
def evidence_attach_view(request: SignedInRequest, pk: int, code: str) -> HttpResponse:
    dossier = changeable_dossier(request, pk)
    evidence = get_object_or_404(Evidence.objects.for_user(request.user), pk=request.POST.get("evidence"))
    try:
        services.evidence_attach(user=request.user, dossier=dossier, evidence=evidence, code=code)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(f"{dossier.get_absolute_url()}#{dom_id(code)}")


@login_required
@require_POST
def evidence_detach_view(request: SignedInRequest, pk: int, link_id: int) -> HttpResponse:
    dossier = changeable_dossier(request, pk)
    try:
        services.evidence_detach(user=request.user, dossier=dossier, link_id=link_id)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("evaluation:dossier_detail", pk=pk)


@login_required
def evidence_file_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Download of an evidence file, for whoever may see it (entity, officers in scope, its council)."""
    evidence = get_object_or_404(Evidence.objects.for_user(request.user), pk=pk)
    if not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=False, filename=evidence.file.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def dossier_submit_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """The review step before a submission that cannot be undone: the self-assessed total, the criteria left
    unanswered and those without evidence (each linked to its row), then an explicit confirmation."""
    dossier = changeable_dossier(request, pk)
    if not dossier.is_editable or not (request.user.role == Role.PRODUCER or request.user.is_admin_role):
        messages.error(request, "Hồ sơ đã nộp, chỉ nộp lại được khi được trả lại để bổ sung.")
        return redirect("evaluation:dossier_detail", pk=pk)
    evidenced = set(dossier.evidence_links.values_list("criterion_code", flat=True))
    review = review_of(dossier.criteria_version.sheet, dossier.self_assessment, evidenced=evidenced)
    posted = request.POST if request.method == "POST" else None  # an empty POST is still a confirmation
    form = SubmitReviewForm(posted, missing=len(review.unanswered))
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.dossier_submit(
                user=request.user,
                dossier=dossier,
                accept_missing=bool(form.cleaned_data.get("accept_missing")),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã nộp hồ sơ (lần {submission.number}).")
            return redirect("evaluation:dossier_detail", pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "evaluation/dossier_review.html",
        {
            "dossier": dossier,
            "review": review,
            "form": form,
            "receiver": LEVEL_NAMES.get(period_for(today).receiver, ""),
            "open_requests": [r for r in dossier.requests.all() if r.resolved_at is None],
        },
    )


@login_required
def evidence_library_view(request: SignedInRequest) -> HttpResponse:
    """The entity's evidence library: every document with its validity and the dossiers using it."""
    user = request.user
    evidence = (
        Evidence.objects.for_user(user).select_related("entity").prefetch_related("links__dossier__product")
    )
    can_add = user.role == Role.PRODUCER and user.entity_id
    form = EvidenceForm(request.POST or None, request.FILES or None) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evidence_create(
                    user=user,
                    entity=user.entity,
                    title=data["title"],
                    upload=data["file"],
                    url=data["url"],
                    valid_until=data["valid_until"],
                )
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, "Đã thêm vào thư viện minh chứng.")
                return redirect("evaluation:evidence_library")
    return render(
        request,
        "evaluation/evidence_library.html",
        {"evidence": evidence[:500], "form": form, "today": dt.date.today()},
    )
