from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from .models import ImportJob

if TYPE_CHECKING:
    from ocop.accounts.models import User


def can_import(user: User | AnonymousUser | None) -> bool:
    """Province officers and administrators (the roles that may audit) import recognition lists."""
    if user is None or isinstance(user, AnonymousUser):
        return False
    return bool(user.is_authenticated and user.is_active and user.can("audit"))


def import_job_list(*, user: User | AnonymousUser | None) -> QuerySet[ImportJob]:
    """Imports a user may see: their own; an administrator sees every one. With the background job of
    each (its progress)."""
    qs = ImportJob.objects.defer("content").select_related("user", "run")
    if user is None or isinstance(user, AnonymousUser) or not can_import(user):
        return qs.none()
    if user.is_superuser or user.is_admin_role:
        return qs
    return qs.filter(user=user)


def import_job_file(*, user: User, pk: int) -> bytes:
    """The uploaded file of an import the user may see (empty once it is no longer kept)."""
    return bytes(import_job_list(user=user).values_list("content", flat=True).get(pk=pk))
