"""Certificates that need someone's attention, for the staff home's work queue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse

from ocop.accounts.roles import OFFICER_ROLES, Role
from ocop.core.queues import QueueEntry

from .selectors import certificate_list

if TYPE_CHECKING:
    from ocop.accounts.models import User

GROUP = "Giấy chứng nhận"


def _url(status: str) -> str:
    return f"{reverse('certification:certificate_list')}?trang_thai={status}"


def certification_work(user: User, today: dt.date) -> list[QueueEntry]:
    """Officers: lapsed certificates not yet renewed and those expiring soon; producers: their expiring
    certificates, to be renewed by a new dossier."""
    expiring = certificate_list(user=user, status="expiring", day=today).count()
    if user.role == Role.PRODUCER:
        return [
            QueueEntry("Giấy chứng nhận sắp hết hạn, cần đánh giá lại", expiring, _url("expiring"), GROUP)
        ]
    if not (user.is_admin_role or user.role in OFFICER_ROLES):
        return []
    lapsed = certificate_list(user=user, status="lapsed", day=today).count()
    return [
        QueueEntry(
            "Giấy chứng nhận đã hết hạn, chưa công nhận lại", lapsed, _url("lapsed"), GROUP, urgent=True
        ),
        QueueEntry("Giấy chứng nhận hết hạn trong 30 ngày", expiring, _url("expiring"), GROUP),
    ]
