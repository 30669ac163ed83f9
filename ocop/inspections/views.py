"""Pages of inspections after recognition: overview (KPI, overdue), plans, the list, findings, revocation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.http import SignedInRequest
from ocop.accounts.roles import OFFICER_ROLES, keeps_records
from ocop.certification.confirm import confirm_revocation
from ocop.core.errors import ScopeError
from ocop.core.exports import export_response
from ocop.core.forms import add_service_errors
from ocop.core.pagination import paginate, query_without_page
from ocop.targets.selectors import history_load, province_planner, stats_units_for

from . import services
from .choices import CHECKLIST, FINDING_FIELDS, Verdict
from .forms import FindingsForm, ListFilterForm, PlanForm, PlanProductForm, RevokeForm
from .models import Inspection
from .selectors import (
    inspection_kpi,
    inspection_list,
    overdue_inspections,
    plan_list,
    products_due,
    products_for_plan,
)

COLUMNS = (
    ("Sản phẩm", lambda i: i.product.name),
    ("Chủ thể", lambda i: i.product.entity.name),
    ("Xã/phường", lambda i: i.product.commune.name),
    ("Kế hoạch", lambda i: str(i.plan)),
    ("Hạn kiểm tra", lambda i: i.due_date),
    ("Ngày kiểm tra", lambda i: i.inspected_on or ""),
    *((label, lambda i, n=name: getattr(i, f"get_{n}_display")()) for name, label in CHECKLIST),
    ("Kết luận", lambda i: i.get_verdict_display()),
    ("Hạn khắc phục", lambda i: i.fix_by or ""),
    ("Quyết định thu hồi", lambda i: i.revocation.decision_number if i.revocation_id else ""),
)


def _officer(user) -> bool:
    return user.is_admin_role or (user.role in OFFICER_ROLES and user.unit_id is not None)


def _inspection_or_404(request: SignedInRequest, pk: int) -> Inspection:
    return get_object_or_404(inspection_list(user=request.user), pk=pk)


@login_required
def home_view(request: SignedInRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    unit = None if user.is_admin_role else user.unit
    if unit is None and user.is_admin_role:
        unit = stats_units_for(user).first()
    kpi = inspection_kpi(history_load(unit), today) if unit is not None and _officer(user) else None
    context = {
        "unit": unit,
        "kpi": kpi,
        "today": today,
        "overdue": list(overdue_inspections(user=user, today=today)[:50]),
        "plans": plan_list(user=user)[:20],
        "may_plan": any(
            province_planner(user=user, province=p)
            for p in stats_units_for(user).filter(level="province")[:5]
        )
        if _officer(user)
        else False,
    }
    return render(request, "inspections/home.html", context)


@login_required
def list_view(request: SignedInRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = inspection_list(user=request.user, year=data.get("nam"), state=data.get("trang_thai") or "")
    if request.GET.get("export") == "xlsx":
        rows = ([value(i) for _label, value in COLUMNS] for i in qs)
        return export_response(
            "xlsx", "kiem-tra-sau-cong-nhan", [c[0] for c in COLUMNS], rows, title="Kiểm tra"
        )
    page = paginate(request, qs)
    return render(
        request, "inspections/list.html", {"form": form, "page": page, "query": query_without_page(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit_view(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    provinces = [
        p
        for p in stats_units_for(request.user).filter(level="province")
        if province_planner(user=request.user, province=p)
    ]
    if not provinces:
        raise Http404
    plan = get_object_or_404(plan_list(user=request.user), pk=pk) if pk is not None else None
    initial = None
    if plan is not None:
        initial = {name: getattr(plan, name) for name in ("year", "title", "decision", "note")}
        initial["province"] = plan.province_id
    form = PlanForm(request.POST or None, initial=initial, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        province = next(p for p in provinces if p.pk == data["province"])
        try:
            saved = services.plan_save(
                user=request.user,
                province=province,
                year=data["year"],
                title=data["title"],
                decision=data["decision"],
                note=data["note"],
                pk=plan.pk if plan else None,
            )
        except (ValidationError, ScopeError) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, f"Đã lưu kế hoạch “{saved}”.")
            return redirect(saved)
    return render(request, "inspections/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(plan_list(user=request.user), pk=pk)
    may_plan = province_planner(user=request.user, province=plan.province)
    form = (
        PlanProductForm(request.POST or None, products=products_for_plan(user=request.user))
        if may_plan
        else None
    )
    if request.method == "POST":
        if not may_plan:
            raise Http404
        if form.is_valid():
            try:
                services.inspection_plan_product(
                    user=request.user,
                    plan=plan,
                    product=form.cleaned_data["product"],
                    due_date=form.cleaned_data["due_date"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ScopeError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Đã thêm sản phẩm vào kế hoạch.")
                return redirect(plan)
    items = plan.inspections.select_related("product", "product__entity", "product__commune", "revocation")
    items = items.filter(pk__in=inspection_list(user=request.user).filter(plan=plan).values("pk"))
    if request.GET.get("export") == "xlsx":
        rows = ([value(i) for _label, value in COLUMNS] for i in items)
        return export_response("xlsx", f"ke-hoach-kiem-tra-{plan.year}", [c[0] for c in COLUMNS], rows,
                               title="Kế hoạch kiểm tra")  # fmt: skip
    context = {
        "plan": plan,
        "items": items,
        "form": form,
        "may_plan": may_plan,
        "due": products_due(user=request.user, plan=plan) if may_plan else [],
        "today": timezone.localdate(),
    }
    return render(request, "inspections/plan_detail.html", context)


@login_required
def detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    may_change = keeps_records(request.user) and (
        Inspection.objects.for_user(request.user, "change").filter(pk=pk).exists()
    )
    checklist = [(label, getattr(inspection, f"get_{name}_display")()) for name, label in CHECKLIST]
    context = {
        "inspection": inspection,
        "checklist": checklist,
        "may_change": may_change and not inspection.revocation_id,
        "may_revoke": may_change
        and inspection.verdict == Verdict.SERIOUS_BREACH
        and not inspection.revocation_id
        and province_planner(user=request.user, province=inspection.plan.province),
        "may_unplan": not inspection.is_done
        and province_planner(user=request.user, province=inspection.plan.province),
        "today": timezone.localdate(),
    }
    return render(request, "inspections/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_view(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    if not keeps_records(request.user):
        raise Http404
    form = FindingsForm(request.POST or None, request.FILES or None, instance=inspection)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in FINDING_FIELDS}
        try:
            services.inspection_record(user=request.user, pk=inspection.pk, data=data)
        except ScopeError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã ghi kết quả kiểm tra.")
            return redirect(inspection)
        inspection.refresh_from_db()
    return render(request, "inspections/record.html", {"form": form, "inspection": inspection})


@login_required
@require_http_methods(["GET", "POST"])
def revoke_view(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    if (
        not province_planner(user=request.user, province=inspection.plan.province)
        or inspection.verdict != Verdict.SERIOUS_BREACH
    ):
        raise Http404
    initial = {"date": timezone.localdate(), "reason": inspection.findings}
    form = RevokeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.inspection_revoke_plan(user=request.user, pk=inspection.pk, **form.cleaned_data)
            back = reverse("inspections:revoke", args=[inspection.pk])
            page = confirm_revocation(request, plan, back_url=back)
            if page:
                return page
            services.inspection_revoke(user=request.user, pk=inspection.pk, **form.cleaned_data)
        except ScopeError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi nhận quyết định thu hồi sản phẩm “{inspection.product.name}”.")
            return redirect(inspection)
    return render(request, "inspections/revoke.html", {"form": form, "inspection": inspection})


@login_required
@require_POST
def unplan_view(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    plan = inspection.plan
    try:
        services.inspection_unplan(user=request.user, inspection=inspection)
    except ScopeError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(inspection)
    messages.success(request, "Đã bỏ sản phẩm khỏi kế hoạch.")
    return redirect(plan)


@login_required
def evidence_view(request: SignedInRequest, pk: int) -> FileResponse:
    inspection = _inspection_or_404(request, pk)
    if not inspection.evidence:
        raise Http404
    response = FileResponse(inspection.evidence.open("rb"), as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
