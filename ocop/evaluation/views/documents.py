"""Downloads: recognition decisions, certificates, the council's minutes, members' score sheets and the
letters proposing results to the level above — PDF and DOCX, for what the user may see."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from ocop.accounts.http import SignedInRequest
from ocop.accounts.roles import Role
from ocop.certification.documents import certificate_pdf, document_response, recognition_decision
from ocop.certification.views import public_product_url

from ..choices import EvaluationStatus
from ..documents import forward_letter, minutes_document, score_sheet_document
from ..selectors import evaluation_list, forwarded_list, session_list


def _decided(user):
    return (
        evaluation_list(user=user)
        .filter(status=EvaluationStatus.DECIDED)
        .select_related("event", "dossier__product__commune")
    )


@login_required
def decision_list_view(request: SignedInRequest) -> HttpResponse:
    decisions: dict[tuple, list] = {}
    for ev in _decided(request.user).order_by("-decision_date", "decision_number", "id"):
        decisions.setdefault((ev.decision_number, ev.decision_date), []).append(ev)
    return render(request, "evaluation/decision_list.html", {"decisions": decisions.items()})


def _number_and_date(request: SignedInRequest) -> tuple[str, dt.date]:
    try:
        return request.GET.get("so", ""), dt.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError as exc:
        raise Http404 from exc


@login_required
def decision_document_view(request: SignedInRequest, fmt: str) -> HttpResponse:
    """The decision as PDF or DOCX (same content), for the products the user may see; the issuer and grounds
    are those of the decision's level and date."""
    number, date = _number_and_date(request)
    evaluations = list(
        _decided(request.user)
        .filter(decision_number=number, decision_date=date, event__isnull=False)
        .select_related("event__product__entity", "event__product__commune__province")
        .order_by("id")
    )
    if not evaluations:
        raise Http404
    doc = recognition_decision(
        number=number,
        date=date,
        signer=evaluations[0].decision_signer,
        events=[ev.event for ev in evaluations],
    )
    return document_response(doc, fmt)


@login_required
def certificate_pdf_view(request: SignedInRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(evaluation_list(user=request.user).select_related("event"), pk=pk)
    certificate = getattr(evaluation.event, "certificate", None) if evaluation.event else None
    if evaluation.status != EvaluationStatus.DECIDED or certificate is None:
        raise Http404
    data = certificate_pdf(
        certificate=certificate, public_url=public_product_url(request, certificate.product)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-ocop-{evaluation.pk}.pdf"'
    return response


@login_required
def minutes_view(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """Biên bản of a session, with the dossiers of it the user may see."""
    if request.user.role == Role.PRODUCER:
        raise Http404
    session = get_object_or_404(session_list(user=request.user).select_related("council"), pk=pk)
    evaluations = list(
        evaluation_list(user=request.user).filter(session=session).prefetch_related("sheets").order_by("id")
    )
    return document_response(minutes_document(session, evaluations), fmt)


@login_required
def score_sheet_view(request: SignedInRequest, pk: int, member_pk: int, fmt: str) -> HttpResponse:
    """One member's signed score sheet (not for producers: they see the council's result)."""
    if request.user.role == Role.PRODUCER:
        raise Http404
    evaluation = get_object_or_404(evaluation_list(user=request.user), pk=pk)
    sheet = get_object_or_404(evaluation.sheets.select_related("member__user"), member_id=member_pk)
    return document_response(score_sheet_document(sheet), fmt)


@login_required
def forward_letter_view(request: SignedInRequest, fmt: str) -> HttpResponse:
    number, date = _number_and_date(request)
    evaluations = list(forwarded_list(user=request.user).filter(forward_number=number, forward_date=date))
    if not evaluations:
        raise Http404
    return document_response(forward_letter(evaluations), fmt)
