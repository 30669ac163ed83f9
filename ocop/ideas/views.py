"""Pages of product ideas by year (steps 1–3): list with stages and XLSX, register, edit, detail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ocop.accounts.http import SignedInRequest
from ocop.accounts.roles import keeps_records
from ocop.core.errors import ScopeError
from ocop.core.exports import export_response
from ocop.core.pagination import paginate, query_without_page
from ocop.evaluation.models import ProductIdea

from . import services
from .forms import IdeaFilterForm, IdeaForm
from .selectors import idea_get, idea_list, idea_years

COLUMNS = (
    ("Năm", "year"),
    ("Sản phẩm (ý tưởng)", "product_name"),
    ("Chủ thể", "entity.name"),
    ("Xã/phường", "commune.name"),
    ("Bộ sản phẩm", "product_set"),
    ("Loại", "get_kind_display"),
    ("Bước", "stage_label"),
    ("Ngày chấp nhận", "accepted_on"),
    ("Ngày nhận phương án KD", "business_plan_on"),
    ("Sản phẩm hình thành", "product.name"),
)


def _value(idea: ProductIdea, path: str) -> object:
    value: object = idea
    for part in path.split("."):
        value = getattr(value, part, None)
        if callable(value):
            value = value()
        if value is None:
            return ""
    return value


@login_required
def idea_list_view(request: SignedInRequest) -> HttpResponse:
    years = idea_years(user=request.user)
    form = IdeaFilterForm(request.GET or None, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    ideas = idea_list(
        user=request.user, year=data.get("year"), stage=data.get("stage") or "", q=data.get("q") or ""
    )
    if request.GET.get("export") == "xlsx":
        rows = ([_value(idea, path) for _label, path in COLUMNS] for idea in ideas)
        return export_response("xlsx", "y-tuong-san-pham", [c[0] for c in COLUMNS], rows, title="Ý tưởng")
    summary: dict[int, dict[str, int]] = {}
    for idea in ideas:
        row = summary.setdefault(
            idea.year, {"registered": 0, "accepted": 0, "business_plan": 0, "product": 0}
        )
        row["registered"] += 1
        row["accepted"] += idea.stage in ("accepted", "business_plan", "product")
        row["business_plan"] += idea.stage in ("business_plan", "product")
        row["product"] += idea.stage == "product"
    context = {
        "form": form,
        "page": paginate(request, ideas),
        "query": query_without_page(request),
        "summary": sorted(summary.items(), reverse=True),
        "may_write": keeps_records(request.user),
    }
    return render(request, "ideas/list.html", context)


@login_required
def idea_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    try:
        idea = idea_get(user=request.user, pk=pk)
    except ProductIdea.DoesNotExist as exc:
        raise Http404 from exc
    may_edit = keeps_records(request.user) and (
        ProductIdea.objects.for_user(request.user, "change").filter(pk=pk).exists()
    )
    return render(request, "ideas/detail.html", {"idea": idea, "may_edit": may_edit})


@login_required
@require_http_methods(["GET", "POST"])
def idea_edit_view(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    if not keeps_records(request.user):
        raise Http404
    instance = None
    if pk is not None:
        instance = ProductIdea.objects.for_user(request.user, "change").filter(pk=pk).first()
        if instance is None:
            raise Http404
    form = IdeaForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.FIELDS if name in form.cleaned_data}
        try:
            if instance is None:
                idea = services.idea_register(user=request.user, data=data)
            else:
                idea = services.idea_update(user=request.user, pk=instance.pk, data=data)
        except ScopeError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã lưu ý tưởng “{idea.product_name}”.")
            return redirect("ideas:detail", pk=idea.pk)
    return render(request, "ideas/form.html", {"form": form, "idea": instance})
