"""Consumers' feedback waiting for an answer, for the staff home's work queue."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse

from ocop.core.queues import QueueEntry

from .choices import FeedbackStatus
from .models import Feedback

if TYPE_CHECKING:
    from ocop.accounts.models import User


def feedback_to_answer_count(*, user: User) -> int:
    return Feedback.objects.for_user(user).filter(status=FeedbackStatus.NEW).count()


def feedback_work(user: User, today: dt.date) -> list[QueueEntry]:
    """Those who moderate (the menu's "Phản ánh": province officers and administrators) answer it."""
    if not user.can("audit"):
        return []
    url = f"{reverse('portal_staff:moderation_list')}?trang_thai={FeedbackStatus.NEW}"
    return [
        QueueEntry("Phản ánh của người dân chờ trả lời", feedback_to_answer_count(user=user), url, "Phản ánh")
    ]
