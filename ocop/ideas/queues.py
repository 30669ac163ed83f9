"""Ideas waiting to be considered, for the staff home's work queue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse

from ocop.accounts.roles import keeps_records
from ocop.core.queues import QueueEntry

from .selectors import idea_list

if TYPE_CHECKING:
    from ocop.accounts.models import User


def idea_work(user: User, today: dt.date) -> list[QueueEntry]:
    if not keeps_records(user):
        return []
    count = len(idea_list(user=user, stage="submitted", day=today))
    url = f"{reverse('ideas:list')}?stage=submitted"
    return [QueueEntry("Ý tưởng sản phẩm chờ xem xét", count, url, "Ý tưởng sản phẩm")]
