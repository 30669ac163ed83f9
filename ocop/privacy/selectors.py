"""Reads of the privacy app."""

from __future__ import annotations

from .models import PublicConsent


def consent_for(*, entity) -> PublicConsent | None:
    """The entity's recorded consent to show contacts on the portal, or None (nothing is shown)."""
    return PublicConsent.objects.filter(entity=entity).select_related("recorded_by").first()
