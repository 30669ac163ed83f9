"""Background work: every app with a queue of jobs names the function that claims and runs its next job.

One `ocop worker` process (or several: jobs are claimed with a conditional UPDATE, so none runs twice) drains
all the queues. Each runner returns the job it ran, or None when its queue is empty."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string

JOB_RUNNERS = (
    "ocop.imports.services.job_run_next",  # large recognition-list imports
    "ocop.support.reports.job_run_next",  # annual reports
)


def runners() -> list[Callable[[], object | None]]:
    return [import_string(path) for path in JOB_RUNNERS]


def describe(job) -> str:
    """One line for the worker's log, in Vietnamese."""
    name = getattr(job, "file_name", "") or f"{job._meta.verbose_name} {getattr(job, 'year', '')}".strip()
    status = job.get_status_display() if hasattr(job, "get_status_display") else ""
    return f"#{job.pk} “{name}”: {status}"


def run_next() -> object | None:
    """Run the next waiting job of the first queue that has one."""
    for runner in runners():
        job = runner()
        if job is not None:
            return job
    return None


def run_after_commit(runner: Callable[..., object | None], job_id: int, name: str) -> None:
    """Start ``runner(pk=job_id)`` in a thread once the request's transaction commits, so a small job is
    done without waiting for a worker; `ocop worker` picks up whatever is left waiting (always, when
    threads are switched off with OCOP_IMPORT_THREADS=False)."""
    import threading

    from django.conf import settings
    from django.db import connections, transaction

    if not getattr(settings, "OCOP_IMPORT_THREADS", True):
        return

    def run() -> None:
        try:
            runner(pk=job_id)
        finally:
            connections.close_all()

    transaction.on_commit(lambda: threading.Thread(target=run, daemon=True, name=f"{name}-{job_id}").start())
