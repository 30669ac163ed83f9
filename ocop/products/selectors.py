from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import QuerySet

from ocop.core.bulk import id_set, sql_names
from ocop.core.text import fold
from ocop.producers.models import Entity

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
        "entity", "commune", "commune__parent", "commune__province", "product_set"
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


# (id, name, name_key, search_key, entity id, entity name, entity name_key, group code, commune id)
ListedProductRow = tuple[int, str, str, str, int, str, str, str, int]


def product_names(*, product_ids: Iterable[int]) -> list[tuple[int, str]]:
    """(id, name) of these products: what the portal's listing refresh needs to make their slugs."""
    return list(Product.objects.filter(pk__in=id_set(product_ids)).values_list("id", "name"))


def listed_product_rows(*, product_ids: list[int]) -> list[ListedProductRow]:
    """What the portal's listing shows of these products and their entities, as plain values. Plain SQL:
    the listing refresh reads up to 20,000 products per import in chunks of 500 (see
    ``certification.selectors.latest_certificates``)."""
    if not product_ids:
        return []
    products, (p_id, p_name, p_name_key, p_search_key, p_entity, p_group, p_commune) = sql_names(
        Product, "id", "name", "name_key", "search_key", "entity", "group_code", "commune"
    )
    entities, (e_id, e_name, e_name_key) = sql_names(Entity, "id", "name", "name_key")
    marks = ", ".join(["%s"] * len(product_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            # Only quoted names from the models' own metadata and %s placeholders are formatted in.
            f"SELECT p.{p_id}, p.{p_name}, p.{p_name_key}, p.{p_search_key}, p.{p_entity}, "  # noqa: S608
            f"e.{e_name}, e.{e_name_key}, p.{p_group}, p.{p_commune} FROM {products} p "
            f"INNER JOIN {entities} e ON e.{e_id} = p.{p_entity} WHERE p.{p_id} IN ({marks})",
            product_ids,
        )
        rows: list[ListedProductRow] = cursor.fetchall()
        return rows
