"""The work queue on the staff home: what waits for the signed-in user, counted and linked.

Core knows no domain: each app registers the sources of its own work (``register_queue_source`` in its
``AppConfig.ready``), and the staff home asks ``work_queue`` for all of them. A source decides from the
user's role whether it applies (no entries) and counts through the scoping chokepoint, so an outsider's
counts never include another unit's records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QueueEntry:
    """One kind of work: "12 hồ sơ chờ tiếp nhận" linking to the list that holds them."""

    label: str
    count: int
    url: str
    group: str  # the area it belongs to, shown as the heading ("Đánh giá", "Chứng nhận", …)
    urgent: bool = False  # overdue or failed: listed before the rest


# (user, today) → the entries of one app for this user; none when the user's role has no such work.
QueueSource = Callable[[Any, dt.date], Iterable[QueueEntry]]
_sources: dict[str, QueueSource] = {}


def register_queue_source(key: str, source: QueueSource) -> None:
    """Add (or replace: ``ready`` may run twice in tests) the source named ``key``."""
    _sources[key] = source


def registered_sources() -> list[str]:
    return list(_sources)


def work_queue(*, user: Any, today: dt.date) -> list[QueueEntry]:
    """Every registered source's entries for ``user``: waiting work first (urgent before the rest), then the
    kinds of work with nothing waiting, each in registration order."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    entries = [entry for source in _sources.values() for entry in source(user, today)]
    return sorted(entries, key=lambda entry: (entry.count == 0, not entry.urgent))


JOB_FAILURES_SHOWN_DAYS = 7


def job_work(user: Any, today: dt.date) -> list[QueueEntry]:
    """Background jobs of the user (an administrator: of everyone) that failed in the last week; only when
    there are some (an old failure is in the jobs' list, not a task any more)."""
    from django.urls import reverse

    from .models import Job
    from .selectors import job_list

    since = today - dt.timedelta(days=JOB_FAILURES_SHOWN_DAYS)
    failed = job_list(user=user).filter(status=Job.Status.FAILED, created_at__date__gt=since).count()
    if not failed:
        return []
    label = f"Việc nền bị lỗi trong {JOB_FAILURES_SHOWN_DAYS} ngày qua"
    return [
        QueueEntry(label, failed, f"{reverse('core:job_list')}?trang_thai=failed", "Việc nền", urgent=True)
    ]
