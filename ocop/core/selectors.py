from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import AuditLog

if TYPE_CHECKING:
    from ocop.accounts.models import User


def audit_log_list(*, user: User, model_label: str = "", username: str = "") -> QuerySet[AuditLog]:
    qs = AuditLog.objects.for_user(user)
    if not user.can("audit"):
        return qs.none()
    if model_label:
        qs = qs.filter(model_label=model_label)
    if username:
        qs = qs.filter(username__iexact=username)
    return qs.select_related("user")
