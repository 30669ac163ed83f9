from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render

from ocop.accounts.http import SignedInRequest
from ocop.accounts.roles import OFFICER_ROLES, Role
from ocop.core.pagination import paginate

from ..choices import DossierStatus, EvaluationStatus, IdeaStatus
from ..models import ScoreSheet
from ..queues import TO_RECEIVE
from ..selectors import council_list, dossier_list, dossiers_to_receive, evaluation_list, idea_list

# What waits for each officer: the commune proposes what producers submitted (two-level flow), the province
# receives what communes proposed or lower councils forwarded, the district received submissions until 2025.
AWAITING = {
    Role.COMMUNE_OFFICER: [DossierStatus.SUBMITTED, DossierStatus.RESUBMITTED],
    Role.PROVINCE_OFFICER: [DossierStatus.PRE_ASSESSED, DossierStatus.FORWARDED],
    Role.DISTRICT_OFFICER: [DossierStatus.SUBMITTED, DossierStatus.RESUBMITTED],
}
ALL_AWAITING = sorted({status for statuses in AWAITING.values() for status in statuses})


@login_required
def home_view(request: SignedInRequest) -> HttpResponse:
    """What each role has to do: producers their ideas and dossiers, officers the dossiers to process,
    council members the dossiers of their sessions."""
    user = request.user
    context: dict = {"is_producer": user.role == Role.PRODUCER, "is_officer": user.role in OFFICER_ROLES}
    if user.role == Role.COUNCIL_MEMBER:
        mine = Prefetch("sheets", queryset=ScoreSheet.objects.filter(member__user=user), to_attr="my_sheets")
        evaluations = (
            evaluation_list(user=user)
            .exclude(status=EvaluationStatus.FORWARDED)
            .prefetch_related(mine)
            .order_by("-session__date", "-id")
        )
        page = paginate(request, evaluations, per_page=50)
        context["page"] = page
        context["to_score"] = [(e, e.my_sheets[0] if e.my_sheets else None) for e in page]
    else:
        dossiers = dossier_list(user=user).order_by("-updated_at", "-id")
        # The work queue's links ask for the dossiers in some statuses (?trang_thai=…&trang_thai=…).
        wanted = [s for s in request.GET.getlist("trang_thai") if s in DossierStatus.values]
        if request.GET.get("viec") == TO_RECEIVE:
            dossiers = dossiers_to_receive(user=user).order_by("-updated_at", "-id")
            context["status_filter"] = ["chờ tỉnh tiếp nhận"]
        elif wanted:
            dossiers = dossiers.filter(status__in=wanted)
            context["status_filter"] = [DossierStatus(s).label for s in wanted]
        context["page"] = context["dossiers"] = paginate(request, dossiers, per_page=50)
        context["ideas"] = idea_list(user=user)[:50]
        context["evaluations"] = evaluation_list(user=user)[:100]
        if user.is_admin_role or user.role in OFFICER_ROLES:
            context["pending_ideas"] = idea_list(user=user).filter(status=IdeaStatus.SUBMITTED).count()
            if user.role == Role.PROVINCE_OFFICER:  # the work queue's count: not what waits at the ministry
                context["to_receive"] = dossiers_to_receive(user=user).count()
            else:
                context["to_receive"] = (
                    dossier_list(user=user).filter(status__in=AWAITING.get(user.role, ALL_AWAITING)).count()
                )
            context["councils"] = council_list(user=user)[:20]
        if user.role == Role.MINISTRY_OFFICER:
            context["is_ministry"] = True
            context["proposed"] = dossier_list(user=user).filter(status=DossierStatus.FORWARDED).count()
            context["councils"] = council_list(user=user)[:20]
    return render(request, "evaluation/home.html", context)
