"""Officers' steps on a submitted dossier, as the periods table allows them: the commune's scoring and
proposal, receipt, the advisory team's check, returns, and putting it before a council."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.html import escape
from django.views.decorators.http import require_POST

from ocop.accounts.http import SignedInRequest
from ocop.core.confirm import Confirmed, run_confirmed
from ocop.legal.authority import role_of
from ocop.legal.periods import ASSESS, CHECK, COMMUNE, COUNCIL, PERIODS, PROPOSE, RECEIVE, RETURN

from ..choices import DossierStatus
from ..flow import awaits_receipt, dossier_period, forwarded_evaluation, holding_level
from ..forms import AssignForm, NoteForm, ReturnForm
from ..models import Dossier
from ..selectors import sessions_for_dossier
from ..services import councils as council_services
from ..services import intake
from ._common import changeable_dossier, flash_errors, posted_choices, posted_option


def dossier_actions(user, dossier: Dossier, can_change: bool) -> dict[str, bool]:
    """Which steps the periods table lets this user take on the dossier where it stands now."""
    flags = dict.fromkeys(("commune", "propose", "receive", "check", "return", "assign"), False)
    if not can_change:
        return flags
    try:
        period = dossier_period(dossier)
    except ValidationError:
        return flags
    role, level = role_of(user), holding_level(dossier, period)
    flags["commune"] = level == COMMUNE and period.allows(ASSESS, COMMUNE, role)
    flags["propose"] = level == COMMUNE and period.allows(PROPOSE, COMMUNE, role)
    flags["receive"] = awaits_receipt(dossier, period) and period.allows(RECEIVE, period.intake[-1], role)
    flags["check"] = dossier.status == DossierStatus.RECEIVED and period.allows(
        CHECK, period.intake[-1], role
    )
    flags["return"] = level is not None and period.allows(RETURN, level, role)
    if dossier.status == DossierStatus.CHECKED:
        target = period.intake[-1]
    elif dossier.status == DossierStatus.FORWARDED:
        lower = forwarded_evaluation(dossier)
        target = lower.forwarded_to if lower else ""
    else:
        target = ""
    flags["assign"] = bool(target) and any(p.allows(COUNCIL, target, role) for p in PERIODS)
    return flags


@login_required
@require_POST
def commune_choose_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """The commune's scoring of its criteria, saved as each option is picked (htmx) or all at once."""
    dossier = changeable_dossier(request, pk)
    try:
        choices = {c: posted_option(value) for c, value in posted_choices(request, "xa-")}
        intake.commune_choose_many(user=request.user, dossier=dossier, choices=choices)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(
                f'<span class="ev-error" role="alert">Chưa lưu: {escape(exc.messages[0])}</span>'
            )
        flash_errors(request, exc)
        return redirect("evaluation:dossier_detail", pk=pk)
    if request.htmx:
        return HttpResponse('<span class="ev-saved">✓ Đã lưu</span>')
    messages.success(request, "Đã lưu phần chấm của xã.")
    return redirect("evaluation:dossier_detail", pk=pk)


# Irreversible steps of the intake: each asks once, saying what will happen (ocop.core.confirm).
DOSSIER_ACTIONS = {
    "return": Confirmed(
        form=ReturnForm,
        invalid="Cần ít nhất một yêu cầu bổ sung.",
        plan=intake.return_plan,
        run=intake.dossier_return,
        title=lambda plan: "Trả hồ sơ để bổ sung",
        button="Xác nhận trả hồ sơ",
        done=lambda plan: "Đã trả hồ sơ để chủ thể bổ sung.",
        danger=True,
    ),
    "propose": Confirmed(
        form=NoteForm,
        invalid="Cần ý kiến đề xuất của xã.",
        plan=intake.propose_plan,
        run=intake.dossier_propose,
        title=lambda plan: "Đề xuất hồ sơ lên cấp tỉnh",
        button="Xác nhận đề xuất",
        done=lambda plan: "Đã đề xuất hồ sơ lên cấp tỉnh.",
    ),
}


@login_required
@require_POST
def dossier_action_view(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    dossier = changeable_dossier(request, pk)
    user = request.user
    back = dossier.get_absolute_url()
    try:
        if action == "receive":
            intake.dossier_receive(user=user, dossier=dossier)
            messages.success(request, "Đã tiếp nhận hồ sơ.")
        elif action == "check":
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Cần ý kiến của tổ tư vấn.")
            intake.dossier_check(user=user, dossier=dossier, note=form.cleaned_data["note"])
            messages.success(
                request, "Đã ghi kết quả kiểm tra của tổ tư vấn: hồ sơ đủ điều kiện đưa ra hội đồng."
            )
        elif action in DOSSIER_ACTIONS:
            page = run_confirmed(request, DOSSIER_ACTIONS[action], back_url=back, dossier=dossier)
            if page is not None:
                return page
        elif action == "assign":
            form = AssignForm(request.POST, sessions=sessions_for_dossier(user=user, dossier=dossier))
            if not form.is_valid():
                raise ValidationError("Chọn phiên họp hội đồng.")
            evaluation = council_services.evaluation_open(
                user=user, dossier=dossier, session=form.cleaned_data["session"]
            )
            messages.success(request, f"Đã đưa hồ sơ ra {evaluation.session}.")
        else:
            raise Http404
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("evaluation:dossier_detail", pk=pk)
