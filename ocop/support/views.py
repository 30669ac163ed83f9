"""Pages of the support module: one set of list/detail/edit/import pages serves every record type (kinds.py);
the KPI page, priority groups and the annual report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.http import SignedInRequest
from ocop.accounts.roles import OFFICER_ROLES, keeps_records
from ocop.core.errors import ScopeError
from ocop.core.exports import export_response
from ocop.core.pagination import paginate, query_without_page
from ocop.core.scoping import CHANGE
from ocop.core.views import job_file_response
from ocop.geography.models import AdminUnit
from ocop.targets.selectors import history_load, province_planner, stats_unit_allowed, stats_units_for

from . import reports, services
from .forms import (
    AnnualReportForm,
    ImportForm,
    KpiFilterForm,
    ParticipationForm,
    PriorityGroupForm,
    ReportForm,
    SearchForm,
    record_form_class,
)
from .import_jobs import records_import_start
from .kinds import KINDS, Kind
from .models import PriorityGroup, TradeFair
from .report_text import SECTIONS, result_lines
from .selectors import (
    participations_of,
    priority_figures,
    priority_groups_of,
    record_list,
    support_kpis,
)
from .sheets import import_participants


def _kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _may_use_stats(user) -> bool:
    return user.is_admin_role or (user.role in OFFICER_ROLES and user.unit_id is not None)


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    cards = [(kind, record_list(user=request.user, kind=kind).count()) for kind in KINDS.values()]
    return render(
        request,
        "support/home.html",
        {"cards": cards, "may_stats": _may_use_stats(request.user)},
    )


@login_required
def record_list_view(request: SignedInRequest, slug: str) -> HttpResponse:
    kind = _kind(slug)
    form = SearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    qs = record_list(user=request.user, kind=kind, q=q)
    if request.GET.get("export") == "xlsx":
        headers = [label for label, _path in kind.columns]
        rows = ([kind.value(r, path) for _label, path in kind.columns] for r in qs)
        return export_response("xlsx", kind.filename, headers, rows, title=kind.title[:31])
    page = paginate(request, qs)
    rows = [(record, [(label, kind.value(record, path)) for label, path in kind.columns]) for record in page]
    context = {
        "kind": kind,
        "form": form,
        "page": page,
        "rows": rows,
        "headers": [label for label, _path in kind.columns],
        "query": query_without_page(request),
        "may_write": keeps_records(request.user),
    }
    template = (
        "support/_rows.html" if request.htmx and request.htmx.target == "results" else "support/list.html"
    )
    return render(request, template, context)


def _fields_of(kind: Kind, record) -> list[tuple[str, object]]:
    shown = []
    for name in kind.fields:
        field = kind.model._meta.get_field(name)
        if name in kind.m2m:
            value = ", ".join(str(v) for v in getattr(record, name).all()) or "—"
        else:
            value = kind.value(record, name)
            if isinstance(value, bool):
                value = "Có" if value else "Không"
        shown.append((field.verbose_name, value if value not in ("", None) else "—"))
    return shown


@login_required
def record_detail_view(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    kind = _kind(slug)
    record = get_object_or_404(record_list(user=request.user, kind=kind), pk=pk)
    may_change = (
        keeps_records(request.user)
        and kind.model.objects.for_user(request.user, CHANGE).filter(pk=pk).exists()
    )
    context = {"kind": kind, "record": record, "fields": _fields_of(kind, record), "may_change": may_change}
    if isinstance(record, TradeFair):
        context["participations"] = participations_of(user=request.user, fair=record)
        context["participation_form"] = ParticipationForm(user=request.user) if may_change else None
        context["participation_import_form"] = ImportForm() if may_change else None
    return render(request, "support/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_edit_view(request: SignedInRequest, slug: str, pk: int | None = None) -> HttpResponse:
    kind = _kind(slug)
    if not keeps_records(request.user):
        raise Http404
    instance = None
    if pk is not None:
        instance = get_object_or_404(kind.model.objects.for_user(request.user, CHANGE), pk=pk)
    form = record_form_class(kind)(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in kind.fields if name in form.cleaned_data}
        try:
            if instance is None:
                record = services.record_create(user=request.user, kind=kind, data=data)
            else:
                record = services.record_update(user=request.user, kind=kind, pk=instance.pk, data=data)
        except ScopeError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã lưu {kind.noun} “{record}”.")
            return redirect(record)
    return render(request, "support/form.html", {"kind": kind, "form": form, "record": instance})


@login_required
@require_POST
def record_delete_view(request: SignedInRequest, slug: str, pk: int) -> HttpResponse:
    kind = _kind(slug)
    try:
        services.record_delete(user=request.user, kind=kind, pk=pk)
    except ScopeError as exc:
        raise Http404 from exc
    messages.success(request, f"Đã xoá {kind.noun}.")
    return redirect("support:record_list", slug=kind.slug)


@login_required
@require_http_methods(["GET", "POST"])
def record_import_view(request: SignedInRequest, slug: str) -> HttpResponse:
    """The file is checked and stored by a background job (import_jobs.py); the request returns at once."""
    kind = _kind(slug)
    if not keeps_records(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = records_import_start(user=request.user, kind=kind, data=upload.read(), file_name=upload.name)
        return redirect(job)
    headers = [label for label, _f, _p in kind.imports]
    return render(request, "support/import.html", {"kind": kind, "form": form, "headers": headers})


@login_required
@require_POST
def participation_add_view(request: SignedInRequest, pk: int) -> HttpResponse:
    kind = KINDS["hoi-cho"]
    fair = get_object_or_404(record_list(user=request.user, kind=kind), pk=pk)
    form = ParticipationForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.participation_add(
                user=request.user,
                fair=fair,
                entity=form.cleaned_data["entity"],
                sales_vnd=form.cleaned_data["sales_vnd"],
            )
        except (ScopeError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "Đã thêm chủ thể tham gia.")
    else:
        messages.error(request, "Hãy chọn chủ thể và nhập doanh thu hợp lệ (số không âm).")
    return redirect(fair)


@login_required
@require_POST
def participation_import_view(request: SignedInRequest, pk: int) -> HttpResponse:
    fair = get_object_or_404(record_list(user=request.user, kind=KINDS["hoi-cho"]), pk=pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Hãy chọn tệp XLSX hoặc CSV.")
        return redirect(fair)
    upload = form.cleaned_data["file"]
    try:
        outcome = import_participants(user=request.user, fair=fair, data=upload.read(), file_name=upload.name)
    except ScopeError as exc:
        raise Http404 from exc
    if outcome.ok:
        messages.success(request, f"Đã nhập {outcome.stored} chủ thể tham gia.")
    else:
        for error in outcome.errors[:20]:
            where = f"Dòng {error['row']}, cột {error['column']}: " if error["row"] else ""
            messages.error(request, f"{where}{error['message']}")
        messages.error(request, f"Không lưu dòng nào: tệp có {len(outcome.errors)} lỗi.")
    return redirect(fair)


@login_required
@require_POST
def participation_remove_view(request: SignedInRequest, pk: int, participation: int) -> HttpResponse:
    fair = get_object_or_404(record_list(user=request.user, kind=KINDS["hoi-cho"]), pk=pk)
    try:
        services.participation_remove(user=request.user, pk=participation)
    except ScopeError as exc:
        raise Http404 from exc
    messages.success(request, "Đã bỏ chủ thể khỏi danh sách tham gia.")
    return redirect(fair)


# --- KPIs and priority groups ---


def _selection(request: SignedInRequest) -> tuple[KpiFilterForm, AdminUnit, object]:
    user = request.user
    if not _may_use_stats(user):
        raise Http404
    units = stats_units_for(user)
    form = KpiFilterForm(request.GET or None, units=units)
    as_of = timezone.localdate()
    unit = None
    if form.is_valid():
        as_of = form.cleaned_data.get("as_of") or as_of
        unit = form.cleaned_data.get("unit")
    elif "unit" in form.errors:  # a unit outside the user's choices
        raise Http404
    else:  # a bad date: the form shows its error, the figures are today's
        unit = getattr(form, "cleaned_data", {}).get("unit")
    if unit is None:
        unit = units.first() if user.is_admin_role else user.unit
    if unit is None or not stats_unit_allowed(user=user, unit=unit):
        raise Http404
    form.initial = {**form.initial, "unit": unit.pk, "as_of": as_of}
    return form, unit, as_of


@login_required
def kpi_view(request: SignedInRequest) -> HttpResponse:
    form, unit, as_of = _selection(request)
    kpis = support_kpis(unit, as_of)
    context = {
        "form": form,
        "unit": unit,
        "as_of": as_of,
        "kpis": kpis,
        "kpi_rows": reports.kpi_rows(kpis),
        "priority": priority_figures(history_load(unit), as_of) if unit.level == "province" else [],
        "may_plan": province_planner(user=request.user, province=unit),
    }
    return render(request, "support/kpis.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def priority_view(request: SignedInRequest) -> HttpResponse:
    form_filter, unit, _as_of = _selection(request)
    if not province_planner(user=request.user, province=unit):
        raise Http404
    form = PriorityGroupForm(request.POST or None)
    if request.method == "POST":
        if "delete" in request.POST:
            group = get_object_or_404(PriorityGroup, pk=request.POST["delete"], province=unit)
            services.priority_group_delete(user=request.user, group=group)
            messages.success(request, f"Đã xoá nhóm “{group.name}”.")
            return redirect(f"{request.path}?unit={unit.pk}")
        if form.is_valid():
            try:
                services.priority_group_save(
                    user=request.user,
                    province=unit,
                    name=form.cleaned_data["name"],
                    position=form.cleaned_data["position"],
                    product_sets=form.cleaned_data["product_sets"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Đã thêm nhóm sản phẩm ưu tiên.")
                return redirect(f"{request.path}?unit={unit.pk}")
    return render(
        request,
        "support/priority.html",
        {"unit": unit, "groups": priority_groups_of(unit), "form": form, "filter": form_filter},
    )


# --- annual report ---


@login_required
@require_http_methods(["GET", "POST"])
def report_view(request: SignedInRequest) -> HttpResponse:
    """Reports of the user's provinces; a province officer opens (or creates) the report of a year."""
    if not _may_use_stats(request.user):
        raise Http404
    units = stats_units_for(request.user).filter(level="province")
    writable = [u.pk for u in units if province_planner(user=request.user, province=u)]
    form = ReportForm(
        request.POST or None,
        units=units.filter(pk__in=writable),
        initial={"year": timezone.localdate().year, "unit": units.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = reports.report_open(
                user=request.user, province=form.cleaned_data["unit"], year=form.cleaned_data["year"]
            )
        except ScopeError as exc:
            raise Http404 from exc
        return redirect(report)
    context = {"form": form if writable else None, "reports": reports.reports_for(request.user)[:40]}
    return render(request, "support/reports.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """The report: heading and narrative (saved, and kept for the next generation), its figures in words,
    the generation's progress and downloads."""
    report = get_object_or_404(reports.reports_for(request.user), pk=pk)
    if request.htmx and request.method == "GET":
        return render(request, "support/_report_status.html", {"report": report, "job": report.job})
    may_write = province_planner(user=request.user, province=report.province)
    form = AnnualReportForm(request.POST or None, instance=report) if may_write else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.fields}
            try:
                report = reports.report_update(user=request.user, pk=report.pk, data=data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if "generate" in request.POST:
                    reports.report_generate(user=request.user, report=report)
                    messages.success(request, "Đã lưu nội dung; báo cáo đang được tạo ở nền.")
                else:
                    messages.success(request, "Đã lưu nội dung báo cáo.")
                return redirect(report)
    job = report.job
    figures = (job.result or {}).get("figures") if job is not None and job.status == "done" else None
    context = {
        "report": report,
        "form": form,
        "job": job,
        "lines": result_lines(figures) if figures else None,
        "sections": SECTIONS,
    }
    return render(request, "support/report_detail.html", context)


@login_required
def report_file_view(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_object_or_404(reports.reports_for(request.user), pk=pk)
    if report.job is None or fmt not in {"docx", "pdf", "xlsx"}:
        raise Http404
    return job_file_response(report.job, fmt)
