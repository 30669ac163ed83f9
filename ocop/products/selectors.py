from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ocop.core.bulk import id_set
from ocop.core.text import fold

from .models import Classification, Product, ProductGroup, ProductSet

if TYPE_CHECKING:
    from ocop.accounts.models import User


def product_list(
    *,
    user: User,
    q: str = "",
    group: str = "",
    product_set_id: int | None = None,
    entity_id: int | None = None,
    status: str = "",
) -> QuerySet[Product]:
    qs = Product.objects.for_user(user).select_related(
        "entity",
        "commune",
        "commune__parent",
        "commune__province",
        "commune__successor__province",
        "product_set",
    )
    if q:
        for word in fold(q).split():
            qs = qs.filter(search_key__contains=word)
    if group:
        qs = qs.filter(group_code=group)
    if product_set_id:
        qs = qs.filter(product_set_id=product_set_id)
    if entity_id:
        qs = qs.filter(entity_id=entity_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("name_key", "id")


def product_count(*, user: User) -> int:
    """How many products the user reaches (the staff home's figure)."""
    return Product.objects.for_user(user).count()


def current_groups() -> QuerySet[ProductGroup]:
    return ProductGroup.objects.filter(classification__is_current=True).order_by("id")


def current_sets() -> QuerySet[ProductSet]:
    return (
        ProductSet.objects.filter(group__classification__is_current=True)
        .select_related("group")
        .order_by("number")
    )


def current_classification() -> Classification | None:
    return Classification.objects.filter(is_current=True).first()


def product_names(*, product_ids: Iterable[int]) -> list[tuple[int, str]]:
    """(id, name) of these products: what the portal's listing refresh needs to make their slugs."""
    return list(Product.objects.filter(pk__in=id_set(product_ids)).values_list("id", "name"))


# -- public portal -----------------------------------------------------------------------------------------
def product_english_names(*, ids: Iterable[int]) -> dict[int, str]:
    """Product id → its English name, for those that have one (the /en/ pages show the Vietnamese
    otherwise)."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return dict(Product.objects.filter(pk__in=wanted).exclude(name_en="").values_list("pk", "name_en"))
