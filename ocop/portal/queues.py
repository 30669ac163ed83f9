"""Consumers' feedback waiting for an answer, for the staff home's work queue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count
from django.urls import reverse

from ocop.core.queues import QueueEntry

from .choices import FeedbackStatus
from .models import Feedback

if TYPE_CHECKING:
    from ocop.accounts.models import User


def feedback_to_answer_count(*, user: User) -> int:
    return Feedback.objects.for_user(user).filter(status=FeedbackStatus.NEW).count()


MODERATION_TABS = [*FeedbackStatus.choices, ("tat-ca", "Tất cả")]


def feedback_counts(*, user: User) -> dict[str, int]:
    """How many reports each tab of the moderation list holds."""
    rows = Feedback.objects.for_user(user).values_list("status").annotate(n=Count("pk")).order_by()
    counts = {status: 0 for status in FeedbackStatus.values} | dict(rows)
    return {**counts, "tat-ca": sum(counts.values())}


def feedback_work(user: User, today: dt.date) -> list[QueueEntry]:
    """Those who moderate (the menu's "Phản ánh": province officers and administrators) answer it."""
    if not user.can("audit"):
        return []
    url = f"{reverse('portal_staff:moderation_list')}?trang_thai={FeedbackStatus.NEW}"
    return [
        QueueEntry("Phản ánh của người dân chờ trả lời", feedback_to_answer_count(user=user), url, "Phản ánh")
    ]
