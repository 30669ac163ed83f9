from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .jobs import open_file
from .models import Job
from .pagination import paginate, query_without_page
from .selectors import audit_log_list, job_list


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


@login_required
def job_list_view(request: HttpRequest) -> HttpResponse:
    jobs = job_list(user=request.user)
    if request.GET.get("trang_thai") in Job.Status.values:
        jobs = jobs.filter(status=request.GET["trang_thai"])
    page = paginate(request, jobs)
    return render(request, "core/job_list.html", {"page": page, "query": query_without_page(request)})


@login_required
def job_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(job_list(user=request.user), pk=pk)
    template = "core/_job_status.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_file_view(request: HttpRequest, pk: int, key: str) -> FileResponse:
    return job_file_response(get_object_or_404(job_list(user=request.user), pk=pk), key)


def job_file_response(job: Job, key: str) -> FileResponse:
    """A file a background job left (its ZIP, a report's DOCX…) as a download; 404 when it has none by
    that key. For views that reach the job through their own record (an annual report)."""
    opened = open_file(job, key)
    if opened is None:
        raise Http404
    handle, name = opened
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
