"""Open stamp alerts, for the staff home's work queue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse

from ocop.accounts.roles import OFFICER_ROLES
from ocop.core.queues import QueueEntry

from .selectors import open_alert_count

if TYPE_CHECKING:
    from ocop.accounts.models import User


def traceability_work(user: User, today: dt.date) -> list[QueueEntry]:
    """Officers in scope resolve the alerts (copied or probed stamps) about their unit's products."""
    if not (user.is_admin_role or user.role in OFFICER_ROLES):
        return []
    url = f"{reverse('traceability:alert_list')}?trang_thai=open"
    return [
        QueueEntry(
            "Cảnh báo tem chưa xử lý", open_alert_count(user=user), url, "Truy xuất nguồn gốc", urgent=True
        )
    ]
