from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from ocop.core.text import fold

from .models import Entity

if TYPE_CHECKING:
    from ocop.accounts.models import User


def entity_list(
    *, user: User, q: str = "", entity_type: str = "", commune_id: int | None = None
) -> QuerySet[Entity]:
    qs = Entity.objects.for_user(user).select_related(
        "commune", "commune__parent", "commune__province", "commune__successor__province"
    )
    if q:
        for word in fold(q).split():
            qs = qs.filter(search_key__contains=word)
    if entity_type:
        qs = qs.filter(entity_type=entity_type)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    return qs.annotate(product_count=Count("products")).order_by("name_key", "id")


def entity_count(*, user: User) -> int:
    """How many entities the user reaches (the staff home's figure)."""
    return Entity.objects.for_user(user).count()


def public_entity(*, pk: int) -> Entity | None:
    """An entity for its public page (the portal decides whether it has anything to show), with its commune
    and its consent to show contacts, or None."""
    return Entity.objects.select_related("commune", "public_consent").filter(pk=pk).first()
