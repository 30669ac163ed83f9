"""The web's import: upload → check (a background job) → the officer confirms → import (a background job).

Both runs are jobs of ``ocop.core.jobs`` (``@background_job()`` handlers taking the ImportJob's id), started
with ``job_start`` in the transaction that changes the ImportJob, so a request that fails leaves no job
behind; ``ocop worker`` — or a thread of the web process right after the request — runs them, with the
lease recovery of core.jobs (a run left by a dead process runs again: a check writes nothing, an import is
one transaction that plans again, so nothing is stored twice). The upload and the confirmation are audited
here, the import by ``import_apply``; a run that ends failed (``ocop.core.signals.job_failed``) marks its
ImportJob failed and lets the file go.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ocop.core.jobs import JobContext, background_job, job_start
from ocop.core.models import AuditLog, Job
from ocop.geography.selectors import commune_ids_covered_by

from ..models import ImportJob
from ..selectors import import_job_list
from .importing import Outcome, audit_commune, import_apply, import_audit, import_check, stored_result

if TYPE_CHECKING:
    from django_tasks.base import Task

    from ocop.accounts.models import User

Status = ImportJob.Status


def import_upload(*, user: User, file_name: str, data: bytes) -> ImportJob:
    """Keep an uploaded file and start its check, with the upload's audit row (filed under the first
    commune of the uploader's unit: the file's own communes are known only once it is read)."""
    with transaction.atomic():
        record = ImportJob.objects.create(user=user, file_name=file_name[:255], content=data, size=len(data))
        unit = user.unit
        commune_id = (
            commune_ids_covered_by(unit).order_by("id").values_list("id", flat=True).first() if unit else None
        )
        import_audit(
            user=user,
            action=AuditLog.Action.CREATE,
            record=record,
            commune_id=commune_id,
            changes={"tệp": file_name[:255], "cỡ": len(data)},
        )
        _start(record, task=import_check_job, title=f"Kiểm tra tệp “{record.file_name}”")
    return record


def import_confirm(*, user: User, record: ImportJob) -> bool:
    """An officer confirms a checked file: its import starts (checked → confirmed), with an audit row.
    False (nothing changed) when the file is not the user's or was not waiting for a confirmation
    (confirmed twice, refused)."""
    with transaction.atomic():
        waiting = import_job_list(user=user).filter(pk=record.pk, status=Status.CHECKED)
        if not waiting.exists():  # not the user's, or confirmed already: no write at all
            return False
        # Still conditional on the status: of two clicks at once, one confirms.
        if not waiting.update(status=Status.CONFIRMED, updated_at=timezone.now()):
            return False
        import_audit(
            user=user,
            action=AuditLog.Action.UPDATE,
            record=record,
            commune_id=(record.result or {}).get("audit_commune"),
            changes={"trạng thái": [Status.CHECKED.label, Status.CONFIRMED.label], "tệp": record.file_name},
        )
        _start(record, task=import_apply_job, title=f"Nhập tệp “{record.file_name}”")
    return True


def _start(record: ImportJob, *, task: Task[..., Any], title: str) -> None:
    record.run = job_start(
        task=task,
        user=record.user,
        title=title,
        params={"import_id": record.pk},
        subject=f"imports.importjob:{record.pk}",
        link=record.get_absolute_url(),
    )
    ImportJob.objects.filter(pk=record.pk).update(run=record.run)


def _take(job: JobContext, import_id: int, *, waiting: str, running: str) -> ImportJob | None:
    """The ImportJob this run is for, marked as running (from waiting, or from running when a dead
    process's run is run again); None when it is no longer this run's to do."""
    mine = ImportJob.objects.filter(pk=import_id, run_id=job.job.pk, status__in=(waiting, running))
    if not mine.update(status=running, updated_at=timezone.now()):
        return None
    return ImportJob.objects.select_related("user").get(pk=import_id)


def _content(record: ImportJob) -> bytes:
    return bytes(ImportJob.objects.values_list("content", flat=True).get(pk=record.pk))


def _finish(
    record: ImportJob, status: str, result: dict[str, Any], *, rows: int, keep_content: bool = False
) -> None:
    record.status = status
    record.result = result
    record.rows = rows
    record.finished_at = timezone.now()
    fields = ["status", "result", "rows", "finished_at", "updated_at"]
    if not keep_content:
        record.content = b""  # the file is not kept once it can no longer be imported
        fields.append("content")
    record.save(update_fields=fields)


def _counts(outcome: Outcome) -> str:
    return (
        f"{outcome.rows} dòng: {outcome.created_entities} chủ thể, {outcome.created_products} sản phẩm, "
        f"{outcome.events} sự kiện công nhận mới; {outcome.skipped} sự kiện đã có."
    )


@background_job()
def import_check_job(job: JobContext, *, import_id: int) -> dict[str, Any]:
    """Check an uploaded file: nothing is written but the ImportJob's own result."""
    record = _take(job, import_id, waiting=Status.QUEUED, running=Status.CHECKING)
    if record is None:
        return {"summary": "Tệp này không còn chờ kiểm tra."}
    outcome = import_check(
        data=_content(record), file_name=record.file_name, user=record.user, progress=job.progress
    )
    result = stored_result(outcome)
    if outcome.plan is not None:
        result["audit_commune"] = audit_commune(plan=outcome.plan, user=record.user)
    status = Status.CHECKED if outcome.ok else Status.REFUSED
    # A refused file is kept too: its error workbook hands the officer their own rows back, marked.
    _finish(record, status, result, rows=outcome.rows, keep_content=True)
    if not outcome.ok:
        return {"summary": f"Tệp có {len(outcome.errors)} lỗi; không nhập."}
    return {"summary": f"Tệp hợp lệ, chờ xác nhận. {_counts(outcome)}"}


@background_job()
def import_apply_job(job: JobContext, *, import_id: int) -> dict[str, Any]:
    """Import a confirmed file (one transaction, audited by ``import_apply``)."""
    record = _take(job, import_id, waiting=Status.CONFIRMED, running=Status.RUNNING)
    if record is None:
        return {"summary": "Tệp này không còn chờ nhập."}
    outcome = import_apply(
        data=_content(record),
        file_name=record.file_name,
        user=record.user,
        record=record,
        progress=job.progress,
    )
    _finish(
        record, Status.DONE if outcome.stored else Status.REFUSED, stored_result(outcome), rows=outcome.rows
    )
    if not outcome.stored:
        return {"summary": f"Tệp có {len(outcome.errors)} lỗi khi nhập; không lưu gì."}
    return {"summary": f"Đã nhập {_counts(outcome)}"}


def on_job_failed(sender: object, *, job: Job, **kwargs: Any) -> None:
    """A check or an import that ended failed (it crashed, or died MAX_ATTEMPTS times): its ImportJob is
    marked failed and its file let go. Nothing of it was stored (the import is one transaction)."""
    for record in ImportJob.objects.filter(run=job, status__in=ImportJob.BUSY).only("pk", "result"):
        ImportJob.objects.filter(pk=record.pk, status__in=ImportJob.BUSY).update(
            status=Status.FAILED,
            content=b"",
            result={**(record.result or {}), "ok": False, "failure": job.error},
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
