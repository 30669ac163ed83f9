"""Roles of SPEC §1 and what each may do. Row-level scope itself lives in core/scoping.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from .models import User


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    PROVINCE_OFFICER = "province_officer", "Cán bộ cấp tỉnh"
    DISTRICT_OFFICER = "district_officer", "Cán bộ cấp huyện"
    COMMUNE_OFFICER = "commune_officer", "Cán bộ cấp xã"
    MINISTRY_OFFICER = "ministry_officer", "Cán bộ cấp trung ương (Bộ)"
    COUNCIL_MEMBER = "council_member", "Thành viên hội đồng"
    PRODUCER = "producer", "Chủ thể sản xuất"


# Officers bound to an administrative unit; their scope is the communes it covers (core/scoping.py).
OFFICER_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER})
# Roles that must pass a second factor at every login.
SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.MINISTRY_OFFICER, *OFFICER_ROLES})
UNIT_LEVEL_OF_ROLE = {
    Role.PROVINCE_OFFICER: "province",
    Role.DISTRICT_OFFICER: "district",
    Role.COMMUNE_OFFICER: "commune",
}

_ACTIONS = {
    Role.ADMIN: {"view", "change", "create_entity", "audit", "manage_users"},
    Role.PROVINCE_OFFICER: {"view", "change", "create_entity", "audit"},
    Role.DISTRICT_OFFICER: {"view", "change", "create_entity"},
    Role.COMMUNE_OFFICER: {"view", "change", "create_entity"},
    # The ministry's officers work on the dossiers proposed to the ministry, nothing else (its own scope path,
    # scope_ministry_path): they set up the central council and record the 5★ decision or the return at 4★.
    Role.MINISTRY_OFFICER: {"view", "change"},
    Role.COUNCIL_MEMBER: {"view"},
    Role.PRODUCER: {"view", "change"},
}


def role_can(role: str, action: str) -> bool:
    return action in _ACTIONS.get(role, set())


def keeps_records(user: User | None) -> bool:
    """Officers and administrators keep the programme's records (ideas, support, inspection findings,
    grants); producers read their own, council members and the ministry none."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.can("create_entity"))


def sees_personal_data(role: str) -> bool:
    """Phone and ID numbers: officers in scope, the entity itself and admins; never council or public."""
    return role in {
        Role.ADMIN,
        Role.PROVINCE_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.PRODUCER,
    }
