"""Overdue inspections, for the staff home's work queue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse

from ocop.accounts.roles import OFFICER_ROLES
from ocop.core.queues import QueueEntry

from .selectors import overdue_inspections

if TYPE_CHECKING:
    from ocop.accounts.models import User


def inspection_work(user: User, today: dt.date) -> list[QueueEntry]:
    if not (user.is_admin_role or user.role in OFFICER_ROLES):
        return []
    count = overdue_inspections(user=user, today=today).count()
    url = f"{reverse('inspections:list')}?trang_thai=overdue"
    return [QueueEntry("Kiểm tra quá hạn chưa thực hiện", count, url, "Kiểm tra sau công nhận", urgent=True)]
