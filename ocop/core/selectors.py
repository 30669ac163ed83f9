from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from .models import AuditLog, Job

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


def job_list(*, user: Any) -> QuerySet[Job]:
    """Background jobs a user may follow: their own; an administrator's, everyone's."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Job.objects.none()
    qs = Job.objects.select_related("user")
    if getattr(user, "is_admin_role", False):
        return qs
    return qs.filter(user=user)


def jobs_of_subject(*, user: Any, subject: str, limit: int = 10) -> list[Job]:
    """The latest jobs about one record (e.g. "traceability.batch:42") that this user may follow."""
    return list(job_list(user=user).filter(subject=subject)[:limit])
