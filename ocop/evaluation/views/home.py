from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ocop.accounts.roles import OFFICER_ROLES, Role

from ..choices import DossierStatus, EvaluationStatus, IdeaStatus
from ..selectors import council_list, dossier_list, evaluation_list, idea_list
from ..services.councils import scoring_members


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    """What each role has to do: producers their ideas and dossiers, officers the dossiers to process,
    council members the dossiers of their sessions."""
    user = request.user
    context: dict = {"is_producer": user.role == Role.PRODUCER, "is_officer": user.role in OFFICER_ROLES}
    if user.role == Role.COUNCIL_MEMBER:
        rows = []
        for evaluation in evaluation_list(user=user).exclude(status=EvaluationStatus.FORWARDED)[:200]:
            mine = evaluation.sheets.filter(member__user=user).first()
            rows.append((evaluation, mine, len(scoring_members(evaluation))))
        context["to_score"] = rows
    else:
        context["dossiers"] = dossier_list(user=user).order_by("-updated_at")[:100]
        context["ideas"] = idea_list(user=user)[:50]
        context["evaluations"] = evaluation_list(user=user)[:100]
        if user.is_admin_role or user.role in OFFICER_ROLES:
            context["pending_ideas"] = idea_list(user=user).filter(status=IdeaStatus.SUBMITTED).count()
            context["to_receive"] = (
                dossier_list(user=user)
                .filter(
                    status__in=[
                        DossierStatus.SUBMITTED,
                        DossierStatus.PRE_ASSESSED,
                        DossierStatus.RESUBMITTED,
                    ]
                )
                .count()
            )
            context["councils"] = council_list(user=user)[:20]
    return render(request, "evaluation/home.html", context)
