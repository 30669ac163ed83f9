from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocop.accounts.http import SignedInRequest
from ocop.core.confirm import confirm_step
from ocop.core.errors import ScopeError
from ocop.core.pagination import paginate, query_without_page
from ocop.core.scoping import CHANGE
from ocop.core.tabs import chosen_tab, tab_list
from ocop.core.text import is_ascii_digits

from . import codes, issue_jobs, selectors, services
from .choices import StampStatus
from .epcis import epcis_document
from .forms import BatchForm, EventForm, IssueForm, RangeForm
from .issue import CSV_HEADER
from .labels import write_labels
from .models import Batch, Stamp, StampAlert

MAX_PDF_LABELS = 4_000  # per download; larger runs use `ocop stamps issue … --out DIR`


def _batch_or_404(request: SignedInRequest, pk: int, action: str = "view") -> Batch:
    try:
        return selectors.batch_get(user=request.user, pk=pk, action=action)
    except Batch.DoesNotExist as exc:
        raise Http404("Không tìm thấy lô.") from exc


def _base_url(request: SignedInRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@require_GET
def batch_list_view(request: SignedInRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = selectors.batch_list(user=request.user, q=q)
    return render(
        request,
        "traceability/batch_list.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "q": q,
            "can_create": selectors.products_for_batches(user=request.user).exists(),
            "open_alerts": selectors.open_alert_count(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_create_view(request: SignedInRequest) -> HttpResponse:
    initial = {}
    if is_ascii_digits(request.GET.get("san_pham", "")):
        initial["product"] = int(request.GET["san_pham"])
    form = BatchForm(request.POST or None, user=request.user, initial=initial)
    if not form.fields["product"].queryset.exists():
        messages.error(request, "Bạn chưa có sản phẩm nào trong phạm vi để tạo lô.")
        return redirect("traceability:batch_list")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            batch = services.batch_create(
                user=request.user, product=data.pop("product"), lot=data.pop("lot"), data=data
            )
        except ScopeError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã tạo lô {batch.lot}.")
            return redirect(batch)
    return render(request, "traceability/batch_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def batch_edit_view(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk, CHANGE)
    form = BatchForm(request.POST or None, instance=batch, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_update(user=request.user, batch=batch, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect(batch)
    return render(request, "traceability/batch_form.html", {"form": form, "batch": batch, "creating": False})


@login_required
@require_GET
def batch_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    can_change = selectors.batch_can_change(user=request.user, batch=batch)
    stamps = batch.stamps.order_by("-serial")
    counts = selectors.batch_stamp_counts(batch=batch)
    options = [("", "Tất cả"), *StampStatus.choices]
    status = chosen_tab(request, param="trang_thai", keys=[key for key, _ in options], counts={"": 1})
    if status:
        stamps = stamps.filter(status=status)
    tab_counts = {"": counts["total"], **counts}
    return render(
        request,
        "traceability/batch_detail.html",
        {
            "batch": batch,
            "can_change": can_change,
            "events": batch.events.select_related("commune"),
            "counts": counts,
            "page": paginate(request, stamps, per_page=20),
            "query": query_without_page(request),
            "status": status,
            "tabs": tab_list(
                request,
                param="trang_thai",
                options=options,
                counts=tab_counts,
                chosen=status,
                fragment="#tem",
            ),
            "alerts": batch.alerts.filter(resolved_at__isnull=True).select_related("stamp")[:10],
            "event_form": EventForm() if can_change else None,
            "issue_form": IssueForm() if can_change else None,
            "range_form": RangeForm() if can_change else None,
            "max_pdf": MAX_PDF_LABELS,
            "issue_jobs": selectors.issue_jobs_of(user=request.user, batch=batch),
        },
    )


@login_required
@require_POST
def event_add_view(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk, CHANGE)
    form = EventForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(batch)
    data = dict(form.cleaned_data)
    try:
        services.event_record(user=request.user, batch=batch, biz_step=data.pop("biz_step"), data=data)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, "Đã ghi sự kiện truy xuất.")
    return redirect(batch)


@login_required
@require_POST
def stamps_issue_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Issuing runs as a background job (issue_jobs.py): the request returns at once, to the job's page."""
    batch = _batch_or_404(request, pk, CHANGE)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(batch)
    count, active = form.cleaned_data["count"], form.cleaned_data["active"]
    try:
        plan = issue_jobs.stamps_issue_plan(user=request.user, batch=batch, count=count, active=active)
        page = confirm_step(
            request,
            title=f"Phát hành tem cho lô {batch.lot}",
            lines=plan.lines(),
            button=f"Xác nhận phát hành {issue_jobs.amount_text(count)} tem",
            back_url=batch.get_absolute_url(),
        )
        if page is not None:
            return page
        job = issue_jobs.stamps_issue_start(
            user=request.user, batch=batch, count=count, active=active, base_url=_base_url(request)
        )
    except ScopeError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect(batch)
    return redirect(job)


def _range(request: SignedInRequest, batch: Batch) -> tuple[int, int]:
    try:
        first = int(request.GET.get("tu") or 1)
        last = int(request.GET.get("den") or 0) or (
            batch.stamps.order_by("-serial").values_list("serial", flat=True).first() or 0
        )
    except ValueError as exc:
        raise Http404("Khoảng số thứ tự không hợp lệ.") from exc
    return first, last


@login_required
@require_GET
def stamps_csv_view(request: SignedInRequest, pk: int) -> StreamingHttpResponse:
    batch = _batch_or_404(request, pk)
    first, last = _range(request, batch)
    base = _base_url(request)
    gtin, lot = batch.product.gtin, batch.lot
    rows = batch.stamps.filter(serial__gte=first, serial__lte=last).order_by("serial")

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_HEADER)
        for serial, code in rows.values_list("serial", "code").iterator(chunk_size=5000):
            writer.writerow((serial, code, base + codes.stamp_path(code, gtin=gtin, lot=lot)))
            if buffer.tell() > 65536:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tem-{lot}-{first}-{last}.csv"'
    return response


@login_required
@require_GET
def stamps_pdf_view(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk)
    first, last = _range(request, batch)
    if last - first + 1 > MAX_PDF_LABELS:
        messages.error(
            request,
            f"Mỗi lần tải tối đa {MAX_PDF_LABELS} tem; hãy chọn khoảng số nhỏ hơn "
            "hoặc dùng lệnh `ocop stamps issue … --out THƯ_MỤC`.",
        )
        return redirect(batch)
    base = _base_url(request)
    gtin, lot = batch.product.gtin, batch.lot
    rows = batch.stamps.filter(serial__gte=first, serial__lte=last).order_by("serial")
    stars = selectors.stars_in_force(product=batch.product)
    out = io.BytesIO()
    write_labels(
        out,
        (
            (serial, code, base + codes.stamp_path(code, gtin=gtin, lot=lot))
            for serial, code in rows.values_list("serial", "code")
        ),
        product_name=batch.product.name,
        lot=lot,
        stars=stars,
    )
    response = HttpResponse(out.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tem-{lot}-{first}-{last}.pdf"'
    return response


@login_required
@require_POST
def stamps_status_view(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch_or_404(request, pk, CHANGE)
    status = request.POST.get("status", "")
    scope = request.POST.get("scope", "")
    stamp = None
    serials = None
    if scope == "stamp":
        stamp = get_object_or_404(Stamp, batch=batch, pk=request.POST.get("stamp") or 0)
    elif scope == "range":
        form = RangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Hãy nhập khoảng số thứ tự tem (từ số, đến số).")
            return redirect(batch)
        serials = (form.cleaned_data["first"], form.cleaned_data["last"])
    elif scope != "batch":
        messages.error(request, "Hãy chọn tem hoặc cả lô.")
        return redirect(batch)
    try:
        if status in (StampStatus.VOID, StampStatus.REVOKED):  # cannot be undone: say how many, ask once
            plan = services.stamps_status_plan(
                user=request.user, batch=batch, status=status, stamp=stamp, serials=serials
            )
            page = confirm_step(
                request,
                title=f"{services.ACTION_WORDS[status].capitalize()} tem của lô {batch.lot}",
                lines=plan.lines(),
                button=f"Xác nhận {services.ACTION_WORDS[status]} {plan.count} tem",
                back_url=f"{batch.get_absolute_url()}#tem",
                danger=True,
            )
            if page is not None:
                return page
        changed = services.stamps_set_status(
            user=request.user, batch=batch, status=status, stamp=stamp, serials=serials
        )
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        word = services.ACTION_WORDS.get(status, "")
        messages.success(request, f"Đã {word} {changed} tem.")
    return redirect(f"{batch.get_absolute_url()}#tem")


@login_required
@require_GET
def epcis_view(request: SignedInRequest, pk: int) -> JsonResponse:
    batch = _batch_or_404(request, pk)
    response = JsonResponse(
        epcis_document(batch, _base_url(request)),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="epcis-{batch.lot}.jsonld"'
    return response


@login_required
@require_GET
def alert_list_view(request: SignedInRequest) -> HttpResponse:
    counts = selectors.alert_counts(user=request.user)
    keys = [key for key, _label in selectors.ALERT_STATES]
    state = chosen_tab(request, param="trang_thai", keys=keys, counts=counts)
    tabs = tab_list(request, param="trang_thai", options=selectors.ALERT_STATES, counts=counts, chosen=state)
    return render(
        request,
        "traceability/alert_list.html",
        {
            "page": paginate(request, selectors.alert_list(user=request.user, state=state)),
            "query": query_without_page(request),
            "state": state,
            "tabs": tabs,
        },
    )


@login_required
@require_POST
def alert_resolve_view(request: SignedInRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(StampAlert.objects.for_user(request.user), pk=pk)
    try:
        services.alert_resolve(user=request.user, alert=alert)
    except ScopeError as exc:
        raise Http404(str(exc)) from exc
    messages.success(request, "Đã đánh dấu cảnh báo là đã xử lý.")
    return redirect("traceability:alert_list")
