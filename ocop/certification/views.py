from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.http import SignedInRequest
from ocop.core.confirm import confirm_step
from ocop.core.exports import export_response
from ocop.core.pagination import paginate, query_without_page
from ocop.core.tabs import chosen_tab, tab_list
from ocop.products.selectors import product_list

from .confirm import confirm_revocation
from .documents import certificate_pdf, document_response, revocation_decision
from .forms import RecordForm, RevocationForm
from .models import Certificate
from .selectors import (
    LIST_STATUSES,
    certificate_counts,
    certificate_issuers,
    certificate_list,
    may_record_history,
    notice_list,
    revocable_now,
    revocation_list,
)
from .services.events import (
    recognition_record,
    recognition_record_plan,
    revocation_decide,
    revocation_plan,
)
from .services.reminders import notice_mark_read

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


def errors_to_form(form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: per field when it names fields, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def certificate_list_view(request: SignedInRequest) -> HttpResponse:
    day, date_error = _day_from(request)
    counts = certificate_counts(user=request.user, day=day)
    status = chosen_tab(request, param="trang_thai", keys=list(LIST_STATUSES), counts=counts)
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
    page = paginate(request, qs)
    issuers = certificate_issuers(page)
    return render(
        request,
        "certification/certificate_list.html",
        {
            "page": page,
            "rows": [(c, issuers[c.pk]) for c in page],
            "query": query_without_page(request),
            "status": status,
            "tabs": tab_list(
                request, param="trang_thai", options=list(LIST_STATUSES.items()), counts=counts, chosen=status
            ),
            "day": day,
            "date_error": date_error,
            "notices": notice_list(user=request.user)[:10],
        },
    )


@login_required
@require_POST
def notice_read_view(request: SignedInRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(notice_list(user=request.user), pk=pk)
    notice_mark_read(user=request.user, notice=notice)
    if request.htmx:
        return HttpResponse("")
    return redirect("certification:certificate_list")


@login_required
@require_http_methods(["GET", "POST"])
def revocation_create_view(request: SignedInRequest, product_pk: int) -> HttpResponse:
    product = get_object_or_404(product_list(user=request.user), pk=product_pk)
    if not revocable_now(user=request.user, product=product, day=timezone.localdate()):
        raise PermissionDenied
    form = RevocationForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            plan = revocation_plan(user=request.user, product=product, **form.cleaned_data)
            back = reverse("certification:revocation_create", args=[product.pk])
            page = confirm_revocation(request, plan, back_url=back)
            if page:
                return page
            revocation_decide(user=request.user, product=product, **form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Đã ghi nhận quyết định thu hồi sản phẩm “{product.name}”.")
            return redirect(product.get_absolute_url())
    return render(request, "certification/revocation_form.html", {"form": form, "product": product})


@login_required
def revocation_list_view(request: SignedInRequest) -> HttpResponse:
    decisions: dict[tuple, list] = {}
    for event in revocation_list(user=request.user)[:500]:
        decisions.setdefault((event.decision_number, event.decision_date), []).append(event)
    return render(request, "certification/revocation_list.html", {"decisions": decisions.items()})


@login_required
def revocation_document_view(request: SignedInRequest, fmt: str) -> HttpResponse:
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


@login_required
@require_http_methods(["GET", "POST"])
def recognition_record_view(request: SignedInRequest, product_pk: int) -> HttpResponse:
    """Type in a recognition decision already issued (history); the issuing level follows the periods table
    for the decision's date (a 3★ decision before 01/07/2025 is the district's, typed here on its behalf)."""
    product = get_object_or_404(product_list(user=request.user), pk=product_pk)
    if not may_record_history(user=request.user, product=product):
        raise PermissionDenied
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = recognition_record_plan(
                user=request.user,
                product=product,
                stars=data["stars"],
                number=data["number"],
                date=data["date"],
                kind=data["kind"] or None,
            )
            page = confirm_step(
                request,
                title="Ghi quyết định công nhận đã ban hành",
                lines=plan.lines(),
                button="Xác nhận ghi quyết định",
                back_url=reverse("certification:recognition_record", args=[product.pk]),
            )
            if page:
                return page
            recognition_record(
                user=request.user,
                product=product,
                stars=data["stars"],
                number=data["number"],
                date=data["date"],
                kind=data["kind"] or None,
                score=data["score"],
                signer=data["signer"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Đã ghi quyết định {data['number']} vào lịch sử của “{product.name}”.")
            return redirect(product.get_absolute_url())
    from ocop.legal.periods import who_recognises

    return render(
        request,
        "certification/record_form.html",
        {"form": form, "product": product, "who_recognises": who_recognises()},
    )


@login_required
def certificate_pdf_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Any certificate in the user's scope (recorded, imported or decided here) as the PDF of its decision's
    issuer and date."""
    certificate = get_object_or_404(
        Certificate.objects.for_user(request.user).select_related(
            "event", "product__entity", "product__commune__parent", "product__commune__province"
        ),
        pk=pk,
    )
    data = certificate_pdf(
        certificate=certificate, public_url=public_product_url(request, certificate.product)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-{certificate.pk}.pdf"'
    return response


def public_product_url(request: HttpRequest, product) -> str:
    """The product's public page, for the certificate's QR code (the portal redirects to its canonical
    slug)."""
    from django.utils.text import slugify

    from ocop.core.text import fold

    slug = slugify(fold(product.name)) or "san-pham"
    return request.build_absolute_uri(reverse("portal:product", args=[product.pk, slug]))
