from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from ocop.core.audit import audit_create
from ocop.core.models import AuditLog

from .models import User

if TYPE_CHECKING:
    from ocop.geography.models import AdminUnit
    from ocop.producers.models import Entity


def login_failure_record(*, username: str, ip_address: str | None) -> None:
    AuditLog.objects.create(
        username=username[:150],
        action=AuditLog.Action.LOGIN_FAILED,
        model_label="accounts.user",
        ip_address=ip_address or None,
    )


def login_success_record(*, user: User, ip_address: str | None) -> None:
    AuditLog.objects.create(
        user=user,
        username=user.username,
        action=AuditLog.Action.LOGIN,
        model_label="accounts.user",
        object_pk=str(user.pk),
        object_repr=str(user),
        ip_address=ip_address or None,
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    unit: AdminUnit | None = None,
    entity: Entity | None = None,
    email: str = "",
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        unit=unit,
        entity=entity,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_create(user=None, instance=user)  # from the command line (`ocop createuser`): the system's
    return user


ACCOUNT_FIELDS = ("full_name", "email", "role", "unit", "entity", "is_active")


@transaction.atomic
def account_save(*, actor: User, data: dict[str, Any], account: User | None = None) -> User:
    """Create or update an account from UserForm data (admin only), audited; password hashed with Argon2."""
    from ocop.core.audit import audit_update, snapshot
    from ocop.core.errors import ScopeError

    from .roles import Role

    if not actor.can("manage_users"):
        raise ScopeError("Chỉ quản trị hệ thống được quản lý tài khoản.")
    creating = account is None
    account = account or User(username=data["username"])
    before = {} if creating else snapshot(account)
    for field in ACCOUNT_FIELDS:
        setattr(account, field, data.get(field))
    if account.role != Role.PRODUCER:
        account.entity = None
    account.is_superuser = account.is_staff = account.role == Role.ADMIN
    if data.get("password"):
        account.set_password(data["password"])
    account.full_clean()
    account.save()
    if creating:
        audit_create(user=actor, instance=account)
    else:
        audit_update(user=actor, instance=account, before=before)
    return account
