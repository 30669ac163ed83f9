"""Score sheets: list of stored versions, one sheet, admin upload of a corrected version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ocop.accounts.http import SignedInRequest
from ocop.products.models import ProductSet

from ..forms import CriteriaUploadForm
from ..models import CriteriaVersion
from ..services.criteria import criteria_version_load


def _set_names() -> dict[int, str]:
    return dict(
        ProductSet.objects.filter(group__classification__is_current=True).values_list("number", "name")
    )


@login_required
def criteria_list_view(request: SignedInRequest) -> HttpResponse:
    versions = CriteriaVersion.objects.defer("source_text", "content").order_by(
        "legal_version", "set_number", "-revision"
    )
    names = _set_names()
    rows = [(v, names.get(v.set_number, "")) for v in versions]
    return render(
        request,
        "evaluation/criteria_list.html",
        {
            "rows": rows,
            "can_upload": request.user.is_admin_role,
            "review_count": sum(1 for v, _ in rows if v.is_active and v.needs_review),
        },
    )


@login_required
def criteria_detail_view(request: SignedInRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(CriteriaVersion, pk=pk)
    sheet = version.sheet
    return render(
        request,
        "evaluation/criteria_detail.html",
        {
            "version": version,
            "sheet": sheet,
            "set_name": _set_names().get(version.set_number, ""),
            "attainable": sheet.attainable(),
            "others": CriteriaVersion.objects.filter(
                legal_version=version.legal_version, set_number=version.set_number
            )
            .exclude(pk=pk)
            .defer("source_text", "content"),
        },
    )


@login_required
def criteria_upload_view(request: SignedInRequest) -> HttpResponse:
    if not request.user.is_admin_role:
        raise PermissionDenied
    form = CriteriaUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, text = form.cleaned_data["file"]
        try:
            version, created = criteria_version_load(
                set_number=form.cleaned_data["set_number"],
                source_text=text,
                source_name=name,
                legal_version=form.cleaned_data["legal_version"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if created:
                messages.success(request, f"Đã nạp {version} và áp dụng cho hồ sơ mới.")
            else:
                messages.info(request, f"Tệp này đã được nạp trước đây: {version}.")
            return redirect("evaluation:criteria_detail", pk=version.pk)
    return render(request, "evaluation/criteria_upload.html", {"form": form})
