"""How long an uploaded list is kept once it cannot or will not be imported.

A refused file is kept so that its error workbook can hand the officer their own rows back, marked; a
checked file waits for its officer's confirmation. Neither may stay for ever: officers' lists carry
producers' phone numbers and ID numbers (docs/privacy.md). After ``KEEP_DAYS`` the file's bytes are let go
— the row, its result and its error list stay, so the page still says what was wrong — by the daily
`ocop release-import-files` (cron, like `ocop send-expiry-reminders`).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ocop.core.audit import audit_record
from ocop.core.models import AuditLog

from ..models import ImportJob

KEEP_DAYS = 30
RELEASED = (ImportJob.Status.CHECKED, ImportJob.Status.REFUSED)


@transaction.atomic
def import_files_release(*, keep_days: int = KEEP_DAYS, now: dt.datetime | None = None) -> int:
    """Empty the stored file of every checked or refused upload finished more than ``keep_days`` ago.
    Returns how many files were let go; each is audited as the system's action."""
    if keep_days < 1:
        raise ValueError("Số ngày giữ tệp phải từ 1 trở lên.")
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    stale = (
        ImportJob.objects.select_for_update()
        .filter(status__in=RELEASED, finished_at__lt=cutoff)
        .exclude(content=b"")
        .only("pk", "file_name", "status")
    )
    released = 0
    for record in stale:
        ImportJob.objects.filter(pk=record.pk).update(content=b"", updated_at=timezone.now())
        audit_record(
            user=None,
            action=AuditLog.Action.UPDATE,
            instance=record,
            changes={"content": [f"tệp giữ quá {keep_days} ngày", "đã xoá"]},
        )
        released += 1
    return released
