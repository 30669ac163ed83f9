from __future__ import annotations

from django.db.models import QuerySet

from .models import ImportJob


def can_import(user) -> bool:
    """Province officers and administrators (the roles that may audit) import recognition lists."""
    return bool(user and user.is_authenticated and user.is_active and user.can("audit"))


def import_job_list(*, user) -> QuerySet[ImportJob]:
    """Jobs a user may see: their own; an administrator sees every job."""
    qs = ImportJob.objects.defer("content").select_related("user")
    if not can_import(user):
        return qs.none()
    if user.is_superuser or user.is_admin_role:
        return qs
    return qs.filter(user=user)
