from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ocop.core.errors import ScopeError
from ocop.core.exports import export_response
from ocop.core.masking import mask_id_number, mask_phone
from ocop.core.pagination import paginate, query_without_page
from ocop.core.scoping import CHANGE
from ocop.privacy.services import personal_export_record, personal_view_record

from . import services
from .forms import EntityFilterForm, EntityForm
from .models import Entity
from .selectors import entity_list

EXPORT_HEADERS = [
    "Tên chủ thể",
    "Loại hình",
    "Mã số thuế",
    "Xã/phường",
    "Huyện",
    "Tỉnh",
    "Địa chỉ",
    "Người đại diện",
    "Số điện thoại",
    "Số sản phẩm",
]


def _filtered(request: HttpRequest):
    form = EntityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = entity_list(user=request.user, q=data.get("q", ""), entity_type=data.get("entity_type", ""))
    return form, qs


@login_required
def entity_list_view(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    fmt = request.GET.get("export")
    if fmt in {"csv", "xlsx"}:
        show_phone = request.user.sees_personal_data
        if show_phone:
            personal_export_record(
                user=request.user,
                model_label="producers.entity",
                fields=["representative", "phone"],
                description=f"Xuất danh sách chủ thể ({fmt.upper()}) có số điện thoại",
            )
        rows = (
            [
                e.name,
                e.get_entity_type_display(),
                e.tax_code,
                e.commune.name,
                e.commune.parent.name if e.commune.parent_id and e.commune.is_legacy else "",
                e.commune.province.name if e.commune.province_id else "",
                e.address,
                e.representative,
                e.phone if show_phone else mask_phone(e.phone),
                e.product_count,
            ]
            for e in qs.iterator(chunk_size=500)
        )
        return export_response(fmt, "chu-the-ocop", EXPORT_HEADERS, rows, title="Chủ thể OCOP")
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "can_create": request.user.can("create_entity"),
    }
    template = (
        "producers/_entity_rows.html"
        if request.htmx and request.htmx.target == "results"
        else "producers/entity_list.html"
    )
    return render(request, template, context)


@login_required
def entity_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    entity = get_object_or_404(entity_list(user=request.user), pk=pk)
    can_change = Entity.objects.for_user(request.user, CHANGE).filter(pk=pk).exists()
    personal = request.user.sees_personal_data
    if personal:
        personal_view_record(user=request.user, instance=entity, fields=["phone", "representative_id_number"])
    context = {
        "entity": entity,
        "can_change": can_change,
        "phone": entity.phone if personal else mask_phone(entity.phone),
        "id_number": entity.representative_id_number
        if personal
        else mask_id_number(entity.representative_id_number),
        "products": entity.products.for_user(request.user).select_related("product_set", "commune")[:200],
    }
    return render(request, "producers/entity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entity_create_view(request: HttpRequest) -> HttpResponse:
    if not request.user.can("create_entity"):
        raise Http404
    form = EntityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            entity = services.entity_create(user=request.user, data=form.cleaned_data)
        except ScopeError as exc:
            form.add_error("commune", str(exc))
        except ValidationError as exc:  # the same entity exists already
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã tạo chủ thể “{entity.name}”.")
            return redirect(entity)
    return render(request, "producers/entity_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def entity_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    entity = get_object_or_404(Entity.objects.for_user(request.user, CHANGE), pk=pk)
    form = EntityForm(request.POST or None, instance=entity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            entity = services.entity_update(user=request.user, entity=entity, data=form.cleaned_data)
        except ScopeError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:  # the same entity exists already
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect(entity)
    return render(request, "producers/entity_form.html", {"form": form, "entity": entity, "creating": False})
