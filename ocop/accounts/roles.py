"""Roles of SPEC §1 and what each may do. Row-level scope itself lives in core/scoping.py."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    PROVINCE_OFFICER = "province_officer", "Cán bộ cấp tỉnh"
    DISTRICT_OFFICER = "district_officer", "Cán bộ cấp huyện"
    COMMUNE_OFFICER = "commune_officer", "Cán bộ cấp xã"
    COUNCIL_MEMBER = "council_member", "Thành viên hội đồng"
    PRODUCER = "producer", "Chủ thể sản xuất"


OFFICER_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER})
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
    Role.COUNCIL_MEMBER: {"view"},
    Role.PRODUCER: {"view", "change"},
}


def role_can(role: str, action: str) -> bool:
    return action in _ACTIONS.get(role, set())


def sees_personal_data(role: str) -> bool:
    """Phone and ID numbers: officers in scope, the entity itself and admins; never council or public."""
    return role in {
        Role.ADMIN,
        Role.PROVINCE_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.COMMUNE_OFFICER,
        Role.PRODUCER,
    }
