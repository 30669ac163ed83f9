from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ocop.core.exports import export_response
from ocop.core.pagination import paginate, query_without_page
from ocop.products.selectors import product_list

from . import services
from .documents import document_response, revocation_decision
from .forms import RevocationForm
from .selectors import LIST_STATUSES, certificate_list, notice_list, revocable_now, revocation_list

EXPORT_HEADERS = [
    "Sản phẩm",
    "Chủ thể",
    "Xã/phường",
    "Tỉnh",
    "Hạng sao",
    "Số quyết định",
    "Hiệu lực từ",
    "Hiệu lực đến",
    "Trạng thái",
]


def _day_from(request: HttpRequest) -> tuple[dt.date, str]:
    raw = request.GET.get("ngay", "")
    if raw:
        try:
            return dt.date.fromisoformat(raw), ""
        except ValueError:
            return timezone.localdate(), "Ngày không hợp lệ; đang hiển thị theo hôm nay."
    return timezone.localdate(), ""


@login_required
def certificate_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("trang_thai", "expiring")
    if status not in LIST_STATUSES:
        status = "expiring"
    day, date_error = _day_from(request)
    qs = certificate_list(user=request.user, status=status, day=day)
    fmt = request.GET.get("export")
    if fmt in {"csv", "xlsx"}:
        rows = (
            [
                c.product.name,
                c.product.entity.name,
                c.product.commune.name,
                c.product.commune.province.name if c.product.commune.province_id else "",
                c.stars,
                c.number,
                c.valid_from.strftime("%d/%m/%Y"),
                c.valid_to.strftime("%d/%m/%Y"),
                LIST_STATUSES[status],
            ]
            for c in qs.iterator(chunk_size=500)
        )
        return export_response(
            fmt, f"giay-chung-nhan-{status}", EXPORT_HEADERS, rows, title=LIST_STATUSES[status]
        )
    return render(
        request,
        "certification/certificate_list.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "status": status,
            "statuses": LIST_STATUSES,
            "day": day,
            "date_error": date_error,
            "notices": notice_list(user=request.user)[:10],
        },
    )


@login_required
@require_POST
def notice_read_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(notice_list(user=request.user), pk=pk)
    services.notice_mark_read(user=request.user, notice=notice)
    if request.htmx:
        return HttpResponse("")
    return redirect("certification:certificate_list")


@login_required
@require_http_methods(["GET", "POST"])
def revocation_create_view(request: HttpRequest, product_pk: int) -> HttpResponse:
    product = get_object_or_404(product_list(user=request.user), pk=product_pk)
    if not revocable_now(user=request.user, product=product, day=timezone.localdate()):
        raise PermissionDenied
    form = RevocationForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.revocation_decide(user=request.user, product=product, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Đã ghi nhận quyết định thu hồi sản phẩm “{product.name}”.")
            return redirect(product.get_absolute_url())
    return render(request, "certification/revocation_form.html", {"form": form, "product": product})


@login_required
def revocation_list_view(request: HttpRequest) -> HttpResponse:
    decisions: dict[tuple, list] = {}
    for event in revocation_list(user=request.user)[:500]:
        decisions.setdefault((event.decision_number, event.decision_date), []).append(event)
    return render(request, "certification/revocation_list.html", {"decisions": decisions.items()})


@login_required
def revocation_document_view(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        date = dt.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError as exc:
        raise Http404 from exc
    events = list(
        revocation_list(user=request.user).filter(
            decision_number=request.GET.get("so", ""), decision_date=date
        )
    )
    if not events:
        raise Http404
    return document_response(revocation_decision(events), fmt)
