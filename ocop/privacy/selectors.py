"""Reads of the privacy app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ocop.core.text import normalize_display

from .models import PublicConsent

if TYPE_CHECKING:
    from ocop.producers.models import Entity


def consent_for(*, entity: Entity) -> PublicConsent | None:
    """The entity's recorded consent to show contacts on the portal, or None (nothing is shown)."""
    return PublicConsent.objects.filter(entity=entity).select_related("recorded_by").first()


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _same_name(a: str, b: str) -> bool:
    return normalize_display(a).casefold() == normalize_display(b).casefold()


def may_show_publicly(entity: Entity, field: str) -> bool:
    """Whether the portal may show ``representative`` or ``phone`` of this entity: consent is recorded for
    that field and covers the value the entity holds now (a new representative or number never consented).
    """
    consent = getattr(entity, "public_consent", None)
    return consent is not None and _covers(consent, entity, field)


def _covers(consent: PublicConsent, entity: Entity, field: str) -> bool:
    if field == "representative":
        return (
            consent.show_representative
            and bool(entity.representative)
            and _same_name(consent.representative_consented, entity.representative)
        )
    if field == "phone":
        return (
            consent.show_phone
            and bool(digits(entity.phone))
            and digits(consent.phone_consented) == digits(entity.phone)
        )
    return False


def consent_outdated(*, consent: PublicConsent, entity: Entity) -> bool:
    """True when the representative or phone changed after the consent was recorded (it no longer covers
    them, so the portal hides them until the consent is recorded again)."""
    wanted = [
        f for f, on in (("representative", consent.show_representative), ("phone", consent.show_phone)) if on
    ]
    return not all(_covers(consent, entity, field) for field in wanted)
