"""The role policy of ``ocop.core.scoping``: which rows a signed-in user's role and binding reach.

Registered from ``AccountsConfig.ready`` (core knows no roles). A province, district or commune officer
reaches the communes covered by their unit across the 2025 reform (``commune_ids_covered_by``); a producer
their own entity; a council member the dossiers of their councils; a ministry officer what was proposed to
the ministry (``scope_ministry_path`` leads to a boolean); anyone else nothing.
"""

from __future__ import annotations

from typing import Any

from ocop.core.scoping import ScopedQuerySet
from ocop.geography.selectors import commune_ids_covered_by

from .models import User
from .roles import OFFICER_ROLES, Role, role_can


def role_scope(queryset: ScopedQuerySet[Any], user: User, action: str) -> ScopedQuerySet[Any]:
    if user.role == Role.ADMIN:
        return queryset
    if not role_can(user.role, action):
        return queryset.none()
    model = queryset.model
    if user.role in OFFICER_ROLES:
        path = getattr(model, "scope_commune_path", None)
        if path is None or user.unit_id is None:
            return queryset.none()
        return queryset.filter(**{f"{path}__in": commune_ids_covered_by(user.unit)})
    if user.role == Role.PRODUCER:
        path = getattr(model, "scope_entity_path", None)
        if path is None or user.entity_id is None:
            return queryset.none()
        return queryset.filter(**{path: user.entity_id})
    if user.role == Role.COUNCIL_MEMBER:
        path = getattr(model, "scope_council_path", None)
        if path is None:
            return queryset.none()
        return queryset.filter(**{f"{path}__members__user": user}).distinct()
    if user.role == Role.MINISTRY_OFFICER:
        path = getattr(model, "scope_ministry_path", None)
        if path is None:
            return queryset.none()
        return queryset.filter(**{path: True}).distinct()
    return queryset.none()
