"""The one row-level permission chokepoint (like NetBox's RestrictedQuerySet).

Every view, API endpoint, export and search starts from ``Model.objects.for_user(user, action)``.
A model declares how it belongs to a place (``scope_commune_path``) and to an entity
(``scope_entity_path``), and optionally to a council (``scope_council_path``) and to what was proposed to the
ministry (``scope_ministry_path``); a user's role and binding (unit, entity, council) decide the filter.
Outsiders get an empty queryset, so detail views answer 404 rather than leak existence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from ocop.accounts.models import User

VIEW = "view"
CHANGE = "change"


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user: User | Any, action: str = VIEW) -> ScopedQuerySet:
        from ocop.accounts.roles import Role, role_can

        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        if not role_can(user.role, action):
            return self.none()
        model = self.model
        if user.role in (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER):
            path = getattr(model, "scope_commune_path", None)
            if path is None or user.unit_id is None:
                return self.none()
            from ocop.geography.selectors import commune_ids_covered_by

            return self.filter(**{f"{path}__in": commune_ids_covered_by(user.unit)})
        if user.role == Role.PRODUCER:
            path = getattr(model, "scope_entity_path", None)
            if path is None or user.entity_id is None:
                return self.none()
            return self.filter(**{path: user.entity_id})
        if user.role == Role.COUNCIL_MEMBER:
            path = getattr(model, "scope_council_path", None)
            if path is None:
                return self.none()
            return self.filter(**{f"{path}__members__user": user}).distinct()
        if user.role == Role.MINISTRY_OFFICER:
            # The ministry sees only what was proposed to it: ``scope_ministry_path`` leads to a boolean.
            path = getattr(model, "scope_ministry_path", None)
            if path is None:
                return self.none()
            return self.filter(**{path: True}).distinct()
        return self.none()
