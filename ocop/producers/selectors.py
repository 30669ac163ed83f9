from __future__ import annotations

from django.db.models import Count, QuerySet

from ocop.core.text import fold

from .models import Entity


def entity_list(
    *, user, q: str = "", entity_type: str = "", commune_id: int | None = None
) -> QuerySet[Entity]:
    qs = Entity.objects.for_user(user).select_related("commune", "commune__parent", "commune__province")
    if q:
        for word in fold(q).split():
            qs = qs.filter(search_key__contains=word)
    if entity_type:
        qs = qs.filter(entity_type=entity_type)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    return qs.annotate(product_count=Count("products")).order_by("name_key", "id")


# -- public portal -----------------------------------------------------------------------------------------
def public_entity(*, pk: int) -> Entity | None:
    """An entity as the public portal shows it (the view decides which personal fields may appear)."""
    return Entity.objects.select_related("commune", "public_consent").filter(pk=pk).first()
