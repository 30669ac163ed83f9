"""Background work, on one mechanism: django-tasks (the backport of Django 6's tasks framework) with its
database backend (django-tasks-db), and one ``core.Job`` row per job for what users see (status, progress,
result, files to download). Why this and not our own job table: docs/architecture.md, "Background jobs".

An app declares a job where its code lives (``ocop.core`` imports no domain app)::

    @background_job()
    def stamps_issue_job(job: JobContext, *, batch_id: int, count: int) -> dict: ...

    job = job_start(task=stamps_issue_job, user=user, title="…", params={"batch_id": 1, "count": 5})

``job_start`` writes the Job row and enqueues the task in the caller's transaction (a request that rolls
back leaves no job behind). The task runs in ``ocop worker`` — tasks are claimed with a row lock (an
exclusive transaction on SQLite), so several workers never run one twice — or, when ``OCOP_JOB_THREADS`` is
on (the default: ``make run`` starts no worker), in a thread of the web process started after the commit,
which claims it the same way. A handler reports progress with ``job.progress(percent, stage)``, which also
proves it alive: a running job silent for LEASE belongs to a dead process and is enqueued again, up to
MAX_ATTEMPTS runs (``jobs_recover``); handlers are written so that running again is safe. A job that ends
failed — its handler raised or refused, or it was given up — is announced with
``ocop.core.signals.job_failed``, so that an app whose own records follow a job (the recognition import's
ImportJob) can mark them.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import connections, transaction
from django.db.models import F
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .models import Job, private_storage
from .signals import job_failed

logger = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=15)
MAX_ATTEMPTS = 3
PROGRESS_EVERY = 0.5  # seconds between two progress writes of the same stage
WORKER_ID = f"ocop-{get_random_string(12)}"

Handler = Callable[..., dict[str, Any] | None]


class JobFailed(Exception):
    """Raised by a handler to end its job as failed with a message for the user (bad input, nothing
    stored); ``result`` is kept on the job (e.g. the rows of a refused file)."""

    def __init__(self, message: str, *, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = result or {}


@dataclass
class JobContext:
    """What a running handler gets: its Job row, progress reports and a place for its files."""

    job: Job
    _last: tuple[int, str, float] = field(default=(-1, "", 0.0), repr=False)

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, percent: int, stage: str = "") -> None:
        """Save progress (0–99) and the current step; also the job's sign of life. Written outside any
        transaction of the handler's (see the module docstring), at most every PROGRESS_EVERY seconds
        for the same step."""
        percent = max(1, min(int(percent), 99))
        now = time.monotonic()
        last_percent, last_stage, last_at = self._last
        if stage == last_stage and (percent == last_percent or now - last_at < PROGRESS_EVERY):
            return
        self._last = (percent, stage, now)
        Job.objects.filter(pk=self.job.pk).update(
            progress=percent, stage=stage[:120], updated_at=timezone.now()
        )

    def save_file(
        self, key: str, *, name: str, label: str, content: bytes | None = None, path: Path | None = None
    ) -> None:
        """Store a result file (bytes, or a file already written at ``path``) in private storage."""
        storage = private_storage()
        stored_as = f"jobs/{self.job.pk}/{name}"
        if storage.exists(stored_as):
            storage.delete(stored_as)
        if path is not None:
            with path.open("rb") as handle:
                stored = storage.save(stored_as, File(handle, name=name))
        else:
            from django.core.files.base import ContentFile

            stored = storage.save(stored_as, ContentFile(content or b"", name=name))
        self.job.files = {**self.job.files, key: {"path": stored, "name": name, "label": label}}
        Job.objects.filter(pk=self.job.pk).update(files=self.job.files, updated_at=timezone.now())


def background_job(*, priority: int = 0) -> Callable[[Handler], Task]:
    """Turn ``handler(job: JobContext, **params) -> dict`` into a django-tasks Task taking the Job's id. The
    handler's dict becomes the job's ``result`` (``summary`` is shown on the job page; ``link``, if given,
    replaces the job's link to the page it concerns).

    The task keeps the handler's module and name (its path in the task table); ``task.func.__wrapped__`` is
    the plain handler."""

    def wrap(handler: Handler) -> Task:
        @functools.wraps(handler)
        def run(job_id: int) -> dict[str, Any]:
            return _run(job_id, handler)

        return task(priority=priority)(run)

    return wrap


def job_start(
    *,
    task: Task,
    user: Any,
    title: str,
    params: dict[str, Any],
    subject: str = "",
    link: str = "",
) -> Job:
    """Create the Job and enqueue its task, in the caller's transaction; the request returns at once."""
    with transaction.atomic():
        job = Job.objects.create(
            task_path=task.module_path,
            title=title[:200],
            subject=subject[:80],
            link=link[:200],
            user=user if getattr(user, "pk", None) else None,
            params=params,
        )
        result = task.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
        job.task_id = str(result.id)
        _run_after_commit(job.task_id)
    return job


def _run(job_id: int, handler: Handler) -> dict[str, Any]:
    """Claim the job (queued → running, a conditional UPDATE), run the handler, record how it ended."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=now,
        updated_at=now,
        progress=1,
        stage="",
        attempts=F("attempts") + 1,
    )
    if not claimed:  # done, failed, cancelled or taken by another runner meanwhile
        return {"job": job_id, "ran": False}
    job = Job.objects.get(pk=job_id)
    context = JobContext(job)
    failure: BaseException | None = None
    try:
        result = handler(context, **job.params) or {}
        status, error = Job.Status.DONE, ""
    except JobFailed as exc:
        result, status, error = exc.result, Job.Status.FAILED, exc.message
    except Exception as exc:  # recorded for the user; re-raised below so the task keeps the traceback
        logger.exception("background job %s (%s) failed", job_id, job.task_path)
        result, status, failure = {}, Job.Status.FAILED, exc
        error = f"Việc dừng vì lỗi hệ thống ({exc.__class__.__name__}); hãy thử lại hoặc báo quản trị."
    link = result.pop("link", None) if isinstance(result, dict) else None  # a handler may point elsewhere
    Job.objects.filter(pk=job_id).update(
        **({"link": link[:200]} if link else {}),
        status=status,
        result=result,
        error=error,
        progress=100,
        stage="",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if status == Job.Status.FAILED:
        _announce_failure(job_id)
    if failure is not None:
        raise failure
    return {"job": job_id, "ran": True, "status": status}


def _announce_failure(job_id: int) -> None:
    """Tell the apps following this job that it ended failed (``job_failed``), with its final row. A receiver
    that breaks is logged, not raised: the job's own end is recorded already, and the worker goes on."""
    for receiver, response in job_failed.send_robust(sender=Job, job=Job.objects.get(pk=job_id)):
        if isinstance(response, Exception):
            logger.error("job_failed receiver %r broke for job %s", receiver, job_id, exc_info=response)


# --- running tasks: the worker and the web process's threads ------------------------------------------


def _claim(task_id: str | None = None) -> DBTaskResult | None:
    """Take one ready task (or the given one) as the django-tasks-db worker does: row lock, then RUNNING."""
    ready = DBTaskResult.objects.ready()
    if task_id is not None:
        ready = ready.filter(id=task_id)
    try:
        with exclusive_transaction(ready.db):
            result = ready.get_locked()
            if result is not None:
                result.claim(WORKER_ID)
            return result
    except OperationalError as exc:
        if is_locked_database_exception(exc):  # another process holds the queue: next time
            return None
        raise


def _execute(result: DBTaskResult) -> None:
    """Run a claimed task and store how it ended (the worker's ``run_task``, without its signals)."""
    try:
        value = result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    except Exception as exc:
        result.set_failed(exc)
    else:
        result.set_successful(value)


def run_one() -> bool:
    """Run the next ready task, if any; True when one ran."""
    result = _claim()
    if result is None:
        return False
    _execute(result)
    return True


def _threads_on() -> bool:
    return bool(getattr(settings, "OCOP_JOB_THREADS", True))


def _run_after_commit(task_id: str) -> None:
    if not _threads_on():
        return

    def run() -> None:
        try:
            result = _claim(task_id)
            if result is not None:
                _execute(result)
        except Exception:
            logger.exception("background task %s failed in the web process", task_id)
        finally:
            connections.close_all()

    transaction.on_commit(lambda: threading.Thread(target=run, daemon=True, name=f"job-{task_id}").start())


def jobs_recover(*, now: dt.datetime | None = None) -> int:
    """Jobs whose runner died (running, silent for LEASE): enqueued again, or failed after MAX_ATTEMPTS.
    Conditional UPDATEs, so two workers recovering at once change each job once. Returns how many."""
    now = now or timezone.now()
    stale = Job.objects.filter(status=Job.Status.RUNNING, updated_at__lt=now - LEASE)
    changed = 0
    for job in stale.only("id", "task_path", "task_id", "attempts", "updated_at")[:50]:
        same = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, updated_at=job.updated_at)
        DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now, exception_class_path="", traceback="lease"
        )
        if job.attempts >= MAX_ATTEMPTS:
            message = (
                f"Việc đã dừng giữa chừng {job.attempts} lần; không thử lại nữa. "
                "Hãy tạo lại hoặc báo quản trị."
            )
            if same.update(status=Job.Status.FAILED, error=message, progress=100, stage="", finished_at=now):
                changed += 1
                logger.error("background job %s abandoned after %s attempts", job.pk, job.attempts)
                _announce_failure(job.pk)
            continue
        with transaction.atomic():
            if not same.update(status=Job.Status.QUEUED, stage="Chờ chạy lại", updated_at=now):
                continue
            result = import_string(job.task_path).enqueue(job.pk)
            Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
        changed += 1
        logger.warning("background job %s was left running by a stopped process: enqueued again", job.pk)
    return changed


def run_next() -> str | None:
    """One step of ``ocop worker``: give back dead jobs, then run one task. A line for the worker's log, or
    None when nothing was waiting."""
    jobs_recover()
    result = _claim()
    if result is None:
        return None
    job_id = (result.args_kwargs.get("args") or [None])[0]
    _execute(result)
    job = Job.objects.filter(pk=job_id).first() if isinstance(job_id, int) else None
    if job is not None:
        return f"#{job.pk} “{job.title}”: {job.get_status_display()}"
    return f"{result.task_path}: {result.status}"


def open_file(job: Job, key: str) -> tuple[IO[bytes], str] | None:
    """The stored file ``key`` of a finished job and its download name, or None."""
    entry = job.files.get(key)
    if job.status != Job.Status.DONE or not entry:
        return None
    storage = private_storage()
    if not storage.exists(entry["path"]):
        return None
    return storage.open(entry["path"], "rb"), entry["name"]


def stash_upload(*, data: bytes, name: str) -> str:
    """Keep an uploaded file for a job (private storage) and return its stored name, for the job's params;
    the handler reads it with ``take_upload``, which deletes it."""
    from pathlib import PurePath

    from django.core.files.base import ContentFile

    safe = PurePath(name).name[:80] or "tep"
    return private_storage().save(f"jobs/uploads/{get_random_string(16)}-{safe}", ContentFile(data))


def take_upload(stored: str) -> bytes:
    storage = private_storage()
    with storage.open(stored, "rb") as handle:
        data = handle.read()
    storage.delete(stored)
    return data
