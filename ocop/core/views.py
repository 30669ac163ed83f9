from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .pagination import paginate, query_without_page
from .selectors import audit_log_list


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not request.user.can("audit"):
        raise Http404
    logs = audit_log_list(
        user=request.user, model_label=request.GET.get("model", ""), username=request.GET.get("user", "")
    )
    model_choices = [
        ("producers.entity", "Chủ thể"),
        ("products.product", "Sản phẩm"),
        ("accounts.user", "Tài khoản"),
    ]
    return render(
        request,
        "core/audit_list.html",
        {
            "page": paginate(request, logs),
            "query": query_without_page(request),
            "model_choices": model_choices,
        },
    )


def media_serve(request: HttpRequest, path: str) -> HttpResponse:
    """Uploaded files (product photos) with headers that stop them being run as anything else."""
    from django.conf import settings
    from django.views.static import serve

    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
