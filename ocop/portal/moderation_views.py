"""Officers' moderation of community feedback (the province's officers answer; an answer becomes public)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ocop.accounts.http import SignedInRequest
from ocop.core.errors import ScopeError
from ocop.core.pagination import paginate

from .choices import FeedbackKind, FeedbackStatus
from .forms import FeedbackAnswerForm
from .models import Feedback, PortalListing
from .services.feedback import feedback_answer, feedback_view_logged


@login_required
@require_GET
def moderation_list(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("trang_thai", FeedbackStatus.NEW)
    qs = Feedback.objects.for_user(request.user).select_related("product", "product__entity")
    if status in FeedbackStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "portal/moderation_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": FeedbackStatus.choices,
            "kinds": dict(FeedbackKind.choices),
            "nav_active": "feedback",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Feedback.objects.for_user(request.user).select_related("product", "product__entity", "answered_by"),
        pk=pk,
    )
    can_answer = request.user.is_superuser or request.user.role in {"admin", "province_officer"}
    form = FeedbackAnswerForm(
        request.POST or None, initial={"answer": item.answer, "status": FeedbackStatus.ANSWERED}
    )
    if request.method == "POST":
        if not can_answer:
            raise Http404
        if form.is_valid():
            try:
                feedback_answer(
                    user=request.user,
                    feedback=item,
                    status=form.cleaned_data["status"],
                    answer=form.cleaned_data["answer"],
                )
            except ScopeError as exc:
                raise Http404 from exc
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "Đã lưu kết quả xử lý phản ánh.")
                return redirect("portal_staff:moderation_detail", pk=item.pk)
    else:
        feedback_view_logged(user=request.user, feedback=item)
    listing = PortalListing.objects.filter(pk=item.product_id).first()
    return render(
        request,
        "portal/moderation_detail.html",
        {"item": item, "form": form, "can_answer": can_answer, "listing": listing, "nav_active": "feedback"},
    )
