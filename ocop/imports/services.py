"""Writes of the import: check a file, store its plan in one transaction, run jobs (web and `ocop worker`).

``import_check`` reads and plans (no writes); ``import_apply`` writes a plan inside one transaction
(store.py: bulk inserts, then ``certificates_sync``, which tells the read models), after making sure nothing
changed since it was planned (otherwise it plans again inside the transaction), and writes one audit row
filed under a commune the file touches. A job's state changes go through the functions below (``job_*``),
each conditional UPDATE atomic; an officer's confirmation writes an audit row. Jobs left claimed by a dead
worker are given back after a lease (``jobs_recover``), at most MAX_ATTEMPTS times.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from ocop.core.audit import audit_record
from ocop.core.models import AuditLog
from ocop.core.tabular.readers import FileRefused, read_workbook
from ocop.geography.models import AdminUnit, Level
from ocop.geography.resolver import UnitResolver
from ocop.geography.selectors import commune_ids_covered_by

from .headers import find_header
from .models import ImportJob
from .plan import Plan, Planner, database_snapshot
from .rows import RowError, RowParser, RowWarning
from .store import write_plan

if TYPE_CHECKING:
    from ocop.accounts.models import User

logger = logging.getLogger(__name__)
Progress = Callable[[int, str], None]
INLINE_ROWS = 2_000  # the web runs files up to this many rows in the request; larger ones go to the worker
STORED_ERRORS = 10_000  # errors kept on a job (the CLI reports all)
_PG_LOCK = 7_004_004  # advisory lock serialising imports on PostgreSQL
LEASE_MINUTES = 15  # a claimed job without progress for this long belongs to a dead worker
MAX_ATTEMPTS = 3  # claims of one job before it is given up


@dataclass
class Outcome:
    ok: bool
    rows: int
    created_products: int
    created_entities: int
    events: int
    skipped: int
    errors: list[RowError]
    plan: Plan | None = None
    stored: bool = False
    warnings: list[RowWarning] = field(default_factory=list)

    def report(self) -> dict:
        """The `--report-json` object of SPEC §5.3, exactly these keys."""
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created_products": self.created_products if self.ok else 0,
            "events": self.events if self.ok else 0,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
        }


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a file is checked and written: the import allocates hundreds of
    thousands of small acyclic objects (cells, rows, refs), which would trigger many useless full collections.
    Reference counting still frees everything; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scope_for(user) -> tuple[set[int] | None, AdminUnit | None]:
    """Commune ids a user may import into (None = anywhere) and the province to assume when a row has none."""
    if user is None or user.is_superuser or user.is_admin_role:
        return None, None
    unit = user.unit
    scope = set(commune_ids_covered_by(unit).values_list("id", flat=True)) if unit else set()
    return scope, unit if unit is not None and unit.level == Level.PROVINCE else None


def import_check(
    *,
    data: bytes,
    file_name: str = "",
    user: User | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> Outcome:
    """Read and plan a file; nothing is written."""
    with _gc_paused():
        return _check(data=data, file_name=file_name, user=user, progress=progress, today=today)


def _recognised(rows: list[list[object]]) -> bool:
    return find_header(rows) is not None


def _check(*, data: bytes, file_name: str, user, progress: Progress | None, today: dt.date | None) -> Outcome:
    report = progress or (lambda percent, stage: None)
    report(2, "Đọc tệp")
    try:
        workbook = read_workbook(data, file_name, recognise=_recognised)
    except FileRefused as exc:
        return Outcome(False, 0, 0, 0, 0, 0, [RowError(0, "", exc.message)])
    scope, default_province = _scope_for(user)
    parser = RowParser(resolver=UnitResolver(), default_province=default_province, scope=scope, today=today)
    parsed = parser.parse_workbook(
        workbook,
        lambda done, total: report(5 + int(60 * done / max(total, 1)), f"Kiểm tra dòng {done}/{total}"),
    )
    if not parsed.sheets:
        return Outcome(False, 0, 0, 0, 0, 0, parsed.errors)
    report(70, "Đối chiếu dữ liệu đã có")
    plan = Planner(parsed, progress=lambda stage: report(75, stage)).build()
    return _outcome(plan)


def _audit_commune(plan: Plan, user) -> int | None:
    """The commune an import's audit row is filed under: the first commune the file touches (inside the
    importer's scope by construction), else the first commune of the importer's unit."""
    for product in plan.products:
        return product.place.id
    unit = getattr(user, "unit", None)
    if unit is not None:
        return commune_ids_covered_by(unit).order_by("id").values_list("id", flat=True).first()
    return None


def _audit(*, user, action: str, job: ImportJob, commune_id: int | None, changes: dict) -> None:
    """The audit row of a job's step, filed under a commune the file touches: the audit list is scoped by
    commune, so officers see their own imports."""
    log = audit_record(user=user, action=action, instance=job, changes=changes)
    if commune_id is not None:
        AuditLog.objects.filter(pk=log.pk).update(commune_id=commune_id)


def _outcome(plan: Plan, stored: bool = False) -> Outcome:
    return Outcome(
        plan.ok,
        plan.rows,
        len(plan.new_products),
        len(plan.entities),
        len(plan.events),
        plan.skipped,
        plan.errors,
        plan=plan,
        stored=stored,
        warnings=plan.warnings,
    )


def import_apply(
    *,
    data: bytes,
    file_name: str,
    user: User | None = None,
    job: ImportJob | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Outcome:
    """Check a file and, when every row is valid and not ``dry_run``, store it (all or nothing)."""
    report = progress or (lambda percent, stage: None)
    outcome = import_check(data=data, file_name=file_name, user=user, progress=report, today=today)
    if not outcome.ok or dry_run:
        return outcome
    report(90, "Ghi dữ liệu")
    with _gc_paused(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK])
        if database_snapshot() != outcome.plan.snapshot:
            # Someone wrote entities, products or events meanwhile: plan again under the lock.
            outcome = import_check(data=data, file_name=file_name, user=user, today=today)
            if not outcome.ok:
                return outcome
        write_plan(outcome.plan, source=f"Nhập tệp {file_name}")
        outcome.stored = True
        job = job or ImportJob.objects.create(
            user=user if getattr(user, "pk", None) else None,
            file_name=file_name[:255],
            size=len(data),
            rows=outcome.rows,
            status=ImportJob.Status.DONE,
            progress=100,
            finished_at=timezone.now(),
            result=_result(outcome) | {"source": "cli"},
        )
        _audit(
            user=user,
            action=AuditLog.Action.CREATE,
            job=job,
            commune_id=_audit_commune(outcome.plan, user),
            changes={
                "tệp": file_name,
                "số dòng": outcome.rows,
                "chủ thể mới": outcome.created_entities,
                "sản phẩm mới": outcome.created_products,
                "sự kiện công nhận": outcome.events,
                "đã có (bỏ qua)": outcome.skipped,
                "cảnh báo": len(outcome.warnings),
            },
        )
    report(100, "Xong")
    return outcome


# -- jobs ---------------------------------------------------------------------------------------------


def _stored_messages(messages: list[RowError]) -> list[dict]:
    """Row messages as a job keeps them: the report's keys, the cell as read and the sheet (if named)."""
    return [
        {"row": m.row, "column": m.column, "message": m.message, "value": m.value, "sheet": m.sheet}
        for m in messages[:STORED_ERRORS]
    ]


def _result(outcome: Outcome) -> dict:
    parsed = outcome.plan.parsed if outcome.plan else None
    result = {
        "ok": outcome.ok,
        "rows": outcome.rows,
        "created_products": outcome.created_products,
        "created_entities": outcome.created_entities,
        "events": outcome.events,
        "skipped": outcome.skipped,
        "error_count": len(outcome.errors),
        "errors": _stored_messages(outcome.errors),
        "warning_count": len(outcome.warnings),
        "warnings": _stored_messages(outcome.warnings),
    }
    if parsed is not None and parsed.sheets:
        first = parsed.sheets[0]
        header = first.header
        result.update(
            {
                "header_row": first.header_row,
                "columns": [[header.labels[name], name] for name in header.columns],
                "ignored": header.ignored,
                "preview": first.preview,
                "sheets": [
                    {"name": sheet.name, "header_row": sheet.header_row, "rows": len(sheet.rows)}
                    for sheet in parsed.sheets
                ],
                "skipped_sheets": [{"name": name, "reason": reason} for name, reason in parsed.skipped],
            }
        )
    return result


@transaction.atomic
def job_create(*, user: User, file_name: str, data: bytes) -> ImportJob:
    """An uploaded file waiting for its check, with the upload's audit row (filed under the first commune of
    the uploader's unit: the file's own communes are known only once it is read)."""
    job = ImportJob.objects.create(user=user, file_name=file_name[:255], content=data, size=len(data))
    unit = user.unit
    commune_id = (
        commune_ids_covered_by(unit).order_by("id").values_list("id", flat=True).first() if unit else None
    )
    _audit(
        user=user,
        action=AuditLog.Action.CREATE,
        job=job,
        commune_id=commune_id,
        changes={"tệp": file_name[:255], "cỡ": len(data)},
    )
    return job


def file_rows(*, data: bytes, file_name: str) -> int:
    """Rows of every sheet of a file (to choose between running it now or in the worker); 0 when the file
    is refused at once."""
    try:
        return sum(len(sheet.rows) for sheet in read_workbook(data, file_name, recognise=_recognised).sheets)
    except FileRefused:
        return 0


@transaction.atomic
def job_confirm(*, user: User, job: ImportJob) -> bool:
    """An officer confirms a checked file: the job waits for its import (checked → confirmed), with an
    audit row. False (nothing changed) when the job is not the user's or was not waiting for a
    confirmation (confirmed twice, refused)."""
    from .selectors import import_job_list

    waiting = import_job_list(user=user).filter(pk=job.pk, status=ImportJob.Status.CHECKED)
    if not waiting.exists():  # not the user's, or confirmed already: no write at all
        return False
    changed = waiting.update(  # still conditional on the status: of two clicks at once, one confirms
        status=ImportJob.Status.CONFIRMED, progress=0, stage="Chờ nhập", updated_at=timezone.now()
    )
    if changed:
        _audit(
            user=user,
            action=AuditLog.Action.UPDATE,
            job=job,
            commune_id=(job.result or {}).get("audit_commune"),
            changes={
                "trạng thái": [ImportJob.Status.CHECKED.label, ImportJob.Status.CONFIRMED.label],
                "tệp": job.file_name,
            },
        )
    return bool(changed)


def _progress_saver(job: ImportJob) -> Progress:
    last = {"percent": -1}

    def save(percent: int, stage: str) -> None:
        if percent == last["percent"] and percent not in (0, 100):
            return
        last["percent"] = percent
        ImportJob.objects.filter(pk=job.pk).update(
            progress=min(percent, 100), stage=stage[:120], updated_at=timezone.now()
        )

    return save


def job_check(job: ImportJob) -> ImportJob:
    """Check an uploaded file (no writes except the job's own fields)."""
    data = bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk))
    try:
        outcome = import_check(
            data=data, file_name=job.file_name, user=job.user, progress=_progress_saver(job)
        )
    except Exception:
        logger.exception("import check failed for job %s", job.pk)
        return _finish(job, ImportJob.Status.FAILED, {"errors": [], "ok": False})
    status = ImportJob.Status.CHECKED if outcome.ok else ImportJob.Status.REFUSED
    result = _result(outcome)
    if outcome.plan is not None:
        result["audit_commune"] = _audit_commune(outcome.plan, job.user)
    return _finish(job, status, result, rows=outcome.rows, keep_content=outcome.ok)


def job_apply(job: ImportJob) -> ImportJob:
    data = bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk))
    try:
        outcome = import_apply(
            data=data, file_name=job.file_name, user=job.user, job=job, progress=_progress_saver(job)
        )
    except Exception:
        logger.exception("import failed for job %s", job.pk)
        return _finish(job, ImportJob.Status.FAILED, {**job.result, "ok": False})
    status = ImportJob.Status.DONE if outcome.stored else ImportJob.Status.REFUSED
    return _finish(job, status, _result(outcome), rows=outcome.rows)


def _finish(
    job: ImportJob, status: str, result: dict, *, rows: int | None = None, keep_content: bool = False
) -> ImportJob:
    job.status = status
    job.result = result
    job.progress = 100
    job.stage = ""
    job.finished_at = timezone.now()
    fields = ["status", "result", "progress", "stage", "finished_at", "updated_at"]
    if rows is not None:
        job.rows = rows
        fields.append("rows")
    if not keep_content:
        job.content = b""  # the file is not kept once it can no longer be imported
        fields.append("content")
    job.save(update_fields=fields)
    return job


def _lease() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "OCOP_IMPORT_LEASE_MINUTES", LEASE_MINUTES))


def jobs_recover(*, now: dt.datetime | None = None) -> int:
    """Give back the jobs of a worker that died: a job checking or running whose claim and last progress are
    both older than the lease goes back to waiting (checking → queued, running → confirmed; an import that
    died was rolled back, and importing again changes nothing already stored); after MAX_ATTEMPTS claims it
    is marked failed instead. Conditional UPDATEs, like the claim. Returns the number of jobs changed."""
    now = now or timezone.now()
    cutoff = now - _lease()
    stale = ImportJob.objects.filter(
        status__in=ImportJob.CLAIMED, claimed_at__lt=cutoff, updated_at__lt=cutoff
    )
    changed = 0
    for job_id, status, attempts, claimed_at, result in stale.values_list(
        "id", "status", "attempts", "claimed_at", "result"
    )[:100]:
        same = ImportJob.objects.filter(pk=job_id, status=status, claimed_at=claimed_at)
        if attempts >= MAX_ATTEMPTS:
            message = (
                f"Tiến trình xử lý tệp đã dừng giữa chừng {attempts} lần; không thử lại nữa. "
                "Không có gì được lưu từ các lần dừng đó. Hãy tải tệp lên lại hoặc báo quản trị."
            )
            changed += same.update(
                status=ImportJob.Status.FAILED,
                progress=100,
                stage="",
                finished_at=now,
                updated_at=now,
                content=b"",
                result={**(result or {}), "ok": False, "failure": message},
            )
            logger.error("import job %s abandoned after %s attempts", job_id, attempts)
        else:
            changed += same.update(
                status=ImportJob.RETRY[status], progress=0, stage="Chờ chạy lại", updated_at=now
            )
            logger.warning("import job %s was left %s by a stopped worker: back to waiting", job_id, status)
    return changed


def job_claim(*, pk: int | None = None) -> ImportJob | None:
    """Atomically take one waiting job (queued → checking, confirmed → running); None when there is none.

    The claim is a conditional UPDATE: of two workers racing for the same job exactly one changes a row.
    Jobs left claimed by a dead worker are given back first (``jobs_recover``); every claim counts an attempt.
    """
    jobs_recover()
    waiting = ImportJob.objects.filter(status__in=ImportJob.WAITING)
    if pk is not None:
        waiting = waiting.filter(pk=pk)
    for candidate in waiting.order_by("created_at", "id").values_list("id", "status")[:20]:
        job_id, status = candidate
        running = ImportJob.Status.CHECKING if status == ImportJob.Status.QUEUED else ImportJob.Status.RUNNING
        claimed = ImportJob.objects.filter(Q(pk=job_id) & Q(status=status)).update(
            status=running,
            claimed_at=timezone.now(),
            progress=1,
            updated_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
        if claimed:
            return ImportJob.objects.defer("content").get(pk=job_id)
    return None


def job_run(job: ImportJob) -> ImportJob:
    """Run a claimed job."""
    if job.status == ImportJob.Status.CHECKING:
        return job_check(job)
    if job.status == ImportJob.Status.RUNNING:
        return job_apply(job)
    return job


def job_run_next(*, pk: int | None = None) -> ImportJob | None:
    job = job_claim(pk=pk)
    return job_run(job) if job is not None else None
