"""Pages of support policies and grants: lists with totals and XLSX, create and edit."""

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
from ocop.core.forms import add_service_errors
from ocop.core.pagination import paginate, query_without_page
from ocop.targets.selectors import province_planner, stats_units_for

from . import services
from .forms import GrantFilterForm, GrantForm, PolicyForm, PolicyItemForm
from .selectors import grant_list, grant_totals, items_for, policy_list

COLUMNS = (
    ("Ngày chi", lambda g: g.paid_on),
    ("Chủ thể", lambda g: g.entity.name),
    ("Xã/phường", lambda g: g.entity.commune.name),
    ("Sản phẩm", lambda g: g.product.name if g.product_id else ""),
    ("Chính sách", lambda g: g.item.policy.number),
    ("Nội dung hỗ trợ", lambda g: g.item.content),
    ("Mục đích", lambda g: g.purpose),
    ("Chi phí (đồng)", lambda g: g.cost_vnd),
    ("Số tiền hỗ trợ (đồng)", lambda g: g.amount_vnd),
    ("Số quyết định", lambda g: g.decision),
)


def _provinces(user) -> list:
    return [
        p for p in stats_units_for(user).filter(level="province") if province_planner(user=user, province=p)
    ]


@login_required
def grant_list_view(request: SignedInRequest) -> HttpResponse:
    user = request.user
    policies = policy_list(user=user)
    form = GrantFilterForm(request.GET or None, policies=policies)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("nam") or timezone.localdate().year
    qs = grant_list(user=user, year=data.get("nam"), policy=data.get("chinh_sach"))
    if request.GET.get("export") == "xlsx":
        rows = ([value(g) for _label, value in COLUMNS] for g in qs)
        return export_response("xlsx", "khoan-ho-tro", [c[0] for c in COLUMNS], rows, title="Khoản hỗ trợ")
    unit = None if user.is_admin_role else user.unit
    if unit is None and user.is_admin_role:
        unit = stats_units_for(user).first()
    totals = (
        grant_totals(unit, year)
        if unit is not None and (user.is_admin_role or user.role in OFFICER_ROLES)
        else None
    )
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "totals": totals,
        "unit": unit,
        "may_write": keeps_records(user) and items_for(user=user).exists(),
        "may_policies": bool(_provinces(user)) or policies.exists(),
    }
    return render(request, "funding/grant_list.html", context)


@login_required
def grant_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(grant_list(user=request.user), pk=pk)
    may_change = keeps_records(request.user) and (
        grant_list(user=request.user).model.objects.for_user(request.user, "change").filter(pk=pk).exists()
    )
    return render(request, "funding/grant_detail.html", {"grant": grant, "may_change": may_change})


@login_required
@require_http_methods(["GET", "POST"])
def grant_edit_view(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    if not keeps_records(user):
        raise Http404
    instance = None
    if pk is not None:
        instance = grant_list(user=user).model.objects.for_user(user, "change").filter(pk=pk).first()
        if instance is None:
            raise Http404
    form = GrantForm(request.POST or None, instance=instance, user=user, items=items_for(user=user))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in services.GRANT_FIELDS}
        try:
            if instance is None:
                grant = services.grant_create(user=user, data=data)
            else:
                grant = services.grant_update(user=user, pk=instance.pk, data=data)
        except ScopeError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã lưu khoản hỗ trợ.")
            return redirect(grant)
    return render(request, "funding/grant_form.html", {"form": form, "grant": instance})


@login_required
@require_POST
def grant_delete_view(request: SignedInRequest, pk: int) -> HttpResponse:
    try:
        services.grant_delete(user=request.user, pk=pk)
    except ScopeError as exc:
        raise Http404 from exc
    messages.success(request, "Đã xoá khoản hỗ trợ.")
    return redirect("funding:grant_list")


@login_required
def policy_list_view(request: SignedInRequest) -> HttpResponse:
    if not (request.user.is_admin_role or request.user.role in OFFICER_ROLES):
        raise Http404
    today = timezone.localdate()
    policies = list(policy_list(user=request.user))
    for policy in policies:
        policy.is_in_force = policy.in_force_on(today)
    return render(
        request,
        "funding/policy_list.html",
        {"policies": policies, "may_create": bool(_provinces(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit_view(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    provinces = _provinces(request.user)
    if not provinces:
        raise Http404
    policy = get_object_or_404(policy_list(user=request.user), pk=pk) if pk is not None else None
    initial = None
    if policy is not None:
        initial = {
            n: getattr(policy, n) for n in ("number", "title", "issued_on", "valid_from", "valid_until")
        }
        initial["province"] = policy.province_id
    form = PolicyForm(request.POST or None, initial=initial, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        province = next(p for p in provinces if p.pk == data.pop("province"))
        try:
            saved = services.policy_save(
                user=request.user, province=province, data=data, pk=policy and policy.pk
            )
        except ScopeError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu chính sách {saved.number}.")
            return redirect(saved)
    return render(request, "funding/policy_form.html", {"form": form, "policy": policy})


@login_required
@require_http_methods(["GET", "POST"])
def policy_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(policy_list(user=request.user), pk=pk)
    may_change = province_planner(user=request.user, province=policy.province)
    form = PolicyItemForm(request.POST or None) if may_change else None
    if request.method == "POST":
        if not may_change:
            raise Http404
        if form.is_valid():
            try:
                services.policy_item_add(user=request.user, policy=policy, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Đã thêm nội dung hỗ trợ.")
                return redirect(policy)
    return render(
        request, "funding/policy_detail.html", {"policy": policy, "form": form, "may_change": may_change}
    )
