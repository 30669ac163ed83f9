"""Importing support records from a sheet as a background job (core.jobs): the upload is kept privately,
the request returns at once to the job's page, the job runs ``sheets.import_records`` (all or nothing) and
ends done with the count, or failed with every row error and nothing stored."""

from __future__ import annotations

from typing import Any

from ocop.core.jobs import JobContext, JobFailed, background_job, job_start, stash_upload, take_upload
from ocop.core.models import Job

from .kinds import Kind


def records_import_start(*, user: Any, kind: Kind, data: bytes, file_name: str) -> Job:
    from django.urls import reverse

    return job_start(
        task=support_import_job,
        user=user,
        title=f"Nhập {kind.title.lower()} từ tệp “{file_name[:80]}”",
        params={
            "kind": kind.slug,
            "upload": stash_upload(data=data, name=file_name),
            "file_name": file_name[:200],
        },
        link=reverse("support:record_list", args=[kind.slug]),
    )


@background_job()
def support_import_job(job: JobContext, *, kind: str, upload: str, file_name: str) -> dict[str, Any]:
    from .kinds import KINDS
    from .sheets import import_records

    record_kind = KINDS[kind]
    job.progress(10, "Đọc và kiểm tra tệp")
    data = take_upload(upload)
    outcome = import_records(user=job.job.user, kind=record_kind, data=data, file_name=file_name)
    if not outcome.ok:
        count = len(outcome.errors)
        raise JobFailed(
            f"Không lưu dòng nào: tệp có {count} lỗi.",
            result={"errors": outcome.errors[:1000], "error_count": count},
        )
    return {"summary": f"Đã nhập {outcome.stored} {record_kind.noun}.", "stored": outcome.stored}
