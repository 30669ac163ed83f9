from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ocop.core.errors import ScopeError
from ocop.core.exports import export_response
from ocop.core.pagination import paginate, query_without_page
from ocop.core.scoping import CHANGE
from ocop.core.text import is_ascii_digits
from ocop.producers.models import Entity

from . import services
from .forms import ProductFilterForm, ProductForm, ProductImageForm
from .models import Product, ProductImage
from .selectors import product_list

EXPORT_HEADERS = [
    "Tên sản phẩm",
    "Chủ thể",
    "Loại hình chủ thể",
    "Xã/phường",
    "Huyện",
    "Tỉnh",
    "Nhóm",
    "Bộ sản phẩm",
    "GTIN",
    "Tình trạng",
]


def _export_row(p: Product) -> list:
    commune = p.commune
    return [
        p.name,
        p.entity.name,
        p.entity.get_entity_type_display(),
        commune.name,
        commune.parent.name if commune.is_legacy and commune.parent_id else "",
        commune.province.name if commune.province_id else "",
        p.group_code,
        str(p.product_set) if p.product_set_id else "",
        p.gtin,
        p.get_status_display(),
    ]


@login_required
def product_list_view(request: HttpRequest) -> HttpResponse:
    form = ProductFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = product_list(
        user=request.user,
        q=data.get("q", ""),
        group=data.get("group", ""),
        product_set_id=data.get("product_set"),
        status=data.get("status", ""),
    )
    fmt = request.GET.get("export")
    if fmt in {"csv", "xlsx"}:
        rows = (_export_row(p) for p in qs.select_related("entity").iterator(chunk_size=500))
        return export_response(fmt, "san-pham-ocop", EXPORT_HEADERS, rows, title="Sản phẩm OCOP")
    can_create = request.user.can("change") and Entity.objects.for_user(request.user, CHANGE).exists()
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "can_create": can_create,
    }
    template = (
        "products/_product_rows.html"
        if request.htmx and request.htmx.target == "results"
        else "products/product_list.html"
    )
    return render(request, template, context)


@login_required
def product_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(product_list(user=request.user), pk=pk)
    can_change = Product.objects.for_user(request.user, CHANGE).filter(pk=pk).exists()
    from ocop.certification.selectors import product_history, revocable_now

    return render(
        request,
        "products/product_detail.html",
        {
            "product": product,
            "can_change": can_change,
            "images": product.images.all(),
            "history": product_history(user=request.user, product=product),
            "can_revoke": revocable_now(user=request.user, product=product, day=timezone.localdate()),
            "image_form": ProductImageForm() if can_change else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_create_view(request: HttpRequest) -> HttpResponse:
    initial = {}
    if is_ascii_digits(request.GET.get("entity", "")):
        initial["entity"] = int(request.GET["entity"])
    form = ProductForm(request.POST or None, user=request.user, initial=initial)
    if not form.fields["entity"].queryset.exists():
        messages.error(request, "Bạn chưa có chủ thể nào trong phạm vi để thêm sản phẩm.")
        return redirect("products:product_list")
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(user=request.user, data=form.cleaned_data)
        except ScopeError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:  # the same product exists already
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã thêm sản phẩm “{product.name}”.")
            return redirect(product)
    return render(request, "products/product_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def product_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.for_user(request.user, CHANGE), pk=pk)
    form = ProductForm(request.POST or None, instance=product, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_update(user=request.user, product=product, data=form.cleaned_data)
        except ScopeError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:  # the same product exists already
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect(product)
    return render(
        request, "products/product_form.html", {"form": form, "product": product, "creating": False}
    )


@login_required
@require_POST
def product_image_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.for_user(request.user, CHANGE), pk=pk)
    form = ProductImageForm(request.POST, request.FILES)
    if form.is_valid():
        services.product_image_add(
            user=request.user,
            product=product,
            upload=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )
        messages.success(request, "Đã thêm ảnh.")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(product)


@login_required
@require_POST
def product_image_delete_view(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.for_user(request.user, CHANGE), pk=pk)
    image = get_object_or_404(ProductImage, pk=image_pk, product=product)
    services.product_image_delete(user=request.user, image=image)
    messages.success(request, "Đã xoá ảnh.")
    return redirect(product)
