"""Queries about users that other apps need (who to tell about a record)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ocop.geography.selectors import units_covering_commune

from .models import User
from .roles import OFFICER_ROLES

if TYPE_CHECKING:
    from ocop.producers.models import Entity


def contact_emails(*, entity: Entity, commune_id: int) -> list[str]:
    """E-mail addresses to notify about a record of ``entity`` in ``commune_id``: the entity's own address,
    its active producer accounts, and the active officers whose scope covers the commune."""
    emails = [entity.email] if entity.email else []
    emails += (
        User.objects.filter(entity=entity, is_active=True).exclude(email="").values_list("email", flat=True)
    )
    emails += (
        User.objects.filter(
            role__in=OFFICER_ROLES, is_active=True, unit_id__in=units_covering_commune(commune_id)
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(set(emails))
