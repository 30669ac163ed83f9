"""The one row-level permission chokepoint (like NetBox's RestrictedQuerySet).

Every view, API endpoint, export and search starts from ``Model.objects.for_user(user, action)``.
A model declares how it belongs to a place (``scope_commune_path``), to an entity (``scope_entity_path``),
optionally to a council (``scope_council_path``) and to what was proposed to the ministry
(``scope_ministry_path``); the user's role and binding (unit, entity, council) decide the filter. Outsiders
get an empty queryset, so detail views answer 404 rather than leak existence.

Core knows no roles: the app that owns them (``ocop.accounts``) registers the policy that turns a user into
a filter (``register_scope_policy`` in its ``AppConfig.ready``). Without a policy every query is empty, so a
missing registration shows as "nothing visible", never as "everything visible".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)

VIEW = "view"
CHANGE = "change"

# (queryset, user, action) → the rows this signed-in, active user may see or change.
ScopePolicy = Callable[["ScopedQuerySet[Any]", Any, str], "ScopedQuerySet[Any]"]
_policy: ScopePolicy | None = None


def register_scope_policy(policy: ScopePolicy) -> None:
    """Install the role policy (called once, from the accounts app's ``ready``)."""
    global _policy
    _policy = policy


class ScopedQuerySet(models.QuerySet[_M]):
    def for_user(self, user: Any, action: str = VIEW) -> ScopedQuerySet[_M]:
        """``user``: the request's user (anonymous or ``ocop.accounts.models.User``) or None."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if _policy is None:
            return self.none()
        return _policy(self, user, action)
