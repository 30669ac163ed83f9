from __future__ import annotations

from django.db import transaction

from ocop.core.models import AuditLog

from .models import User


def login_failure_record(*, username: str, ip_address: str | None) -> None:
    AuditLog.objects.create(
        username=username[:150], action=AuditLog.Action.LOGIN_FAILED, model_label="accounts.user",
        ip_address=ip_address or None,
    )


def login_success_record(*, user: User, ip_address: str | None) -> None:
    AuditLog.objects.create(
        user=user, username=user.username, action=AuditLog.Action.LOGIN, model_label="accounts.user",
        object_pk=str(user.pk), object_repr=str(user), ip_address=ip_address or None,
    )


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, full_name: str = "", unit=None, entity=None,
    email: str = "", is_superuser: bool = False,
) -> User:
    user = User(
        username=username, role=role, full_name=full_name, unit=unit, entity=entity, email=email,
        is_superuser=is_superuser, is_staff=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
