"""Web import for province officers and administrators: upload → check (preview, errors) → confirm.

The check and the import run as background jobs (ocop.core.jobs: `ocop worker`, or a thread of the web
process right after the request); the request returns at once and the page polls their progress with htmx.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.http import SignedInRequest
from ocop.core.exports import XLSX_CONTENT_TYPE

from .forms import UploadForm
from .models import ImportJob
from .presentation import error_workbook, preview_rows
from .selectors import can_import, import_job_file, import_job_list
from .services.jobs import import_confirm, import_upload


def _guard(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise Http404


def _job(request: HttpRequest, pk: int) -> ImportJob:
    _guard(request)
    return get_object_or_404(import_job_list(user=request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def upload_view(request: SignedInRequest) -> HttpResponse:
    _guard(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_upload(user=request.user, file_name=upload.name, data=upload.read())
        return redirect(job)
    jobs = import_job_list(user=request.user)[:10]
    return render(request, "imports/upload.html", {"form": form, "jobs": jobs})


@login_required
def job_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    errors = job.errors
    warnings = job.result.get("warnings", [])
    context = {
        "job": job,
        "result": job.result,
        "errors": errors[:500],
        "more_errors": max(len(errors) - 500, 0),
        "warnings": warnings[:500],
        "more_warnings": max(len(warnings) - 500, 0),
        "many_sheets": any(m.get("sheet") for m in [*errors, *warnings]),
        "preview": preview_rows(job.result, errors),
    }
    return render(request, "imports/job.html", context)


@login_required
def job_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if not job.is_busy:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_confirm_view(request: SignedInRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    import_confirm(user=request.user, record=job)
    return redirect(job)


@login_required
def job_errors_view(request: SignedInRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    data = import_job_file(user=request.user, pk=job.pk)
    workbook = error_workbook(data=data, file_name=job.file_name, result=job.result, errors=job.errors)
    response = HttpResponse(workbook, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{job.pk}.xlsx"'
    return response
