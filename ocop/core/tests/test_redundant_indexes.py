"""The big tables keep no index that another one makes redundant, and the lookups the app makes on them are
still served by an index: checked on the database's own query plans and index list, not on index names.

On PostgreSQL the planner prefers a sequential scan of a test-sized table, so sequential scans are switched
off for the plan check: a plan that still scans the table then means that no index can serve the lookup.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import QuerySet

# The tables every import and listing refresh writes thousands of rows into: each extra index costs there.
ENTITY, PRODUCT = "producers.Entity", "products.Product"
EVENT, LISTING = "certification.RecognitionEvent", "portal.PortalListing"
BIG_TABLES = [ENTITY, PRODUCT, EVENT, LISTING]

# The lookups the registry, history, statistics and portal pages make on those tables.
LOOKUPS = {
    "entities of a commune": (ENTITY, {"commune_id": 1}),
    "products of a commune": (PRODUCT, {"commune_id": 1}),
    "products of an entity": (PRODUCT, {"entity_id": 1}),
    "products of a group": (PRODUCT, {"group_code": "I"}),
    "history of a product": (EVENT, {"product_id": 1}),
    "decisions of a day": (EVENT, {"decision_date": dt.date(2026, 1, 1)}),
    "listing of a province": (LISTING, {"province_id": 1}),
    "listing of a 2025 province": (LISTING, {"new_province_id": 1}),
}


def _lookup(label: str, conditions: dict) -> QuerySet:
    """Without the model's default ordering, which an index may serve on its own (a scan in index order)."""
    return apps.get_model(label).objects.filter(**conditions).order_by()


def _plan(queryset: QuerySet) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # (the test's transaction ends it)
    return queryset.explain()


def uses_index(plan: str) -> bool:
    """Whether an index finds the rows (not just orders a full scan)."""
    if connection.vendor == "postgresql":
        return "Index Cond" in plan
    return any(" SEARCH " in f" {line} " and " USING " in line for line in plan.splitlines())


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", sorted(LOOKUPS))
def test_lookup_is_served_by_an_index(lookup):
    plan = _plan(_lookup(*LOOKUPS[lookup]))
    assert uses_index(plan), plan


@pytest.mark.django_db
def test_plan_check_sees_a_lookup_without_index():
    """The check above can fail: a lookup on a column no index leads with scans the table."""
    assert not uses_index(_plan(_lookup(PRODUCT, {"description": "x"})))


def redundant_indexes(table: str) -> list[str]:
    """Plain indexes whose columns lead another index of the same kind on the same table (that one serves the
    same lookups). Other kinds (PostgreSQL's trigram GIN indexes, the ``…_like`` twins with pattern operators
    for LIKE 'x%') serve other lookups and are not compared."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = {
        name: info["columns"]
        for name, info in constraints.items()
        if (info["index"] or info["unique"]) and info["columns"] and not name.endswith("_like")
    }
    found = []
    for name, columns in indexes.items():
        if constraints[name]["unique"] or constraints[name].get("primary_key"):
            continue
        for other, other_columns in indexes.items():
            longer = len(other_columns) > len(columns)
            same_kind = constraints[other].get("type") == constraints[name].get("type")
            leads = other_columns[: len(columns)] == columns
            if other != name and same_kind and leads and (longer or other < name):
                found.append(f"{name} {columns} (served by {other} {other_columns})")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("label", BIG_TABLES)
def test_big_table_has_no_redundant_index(label):
    assert redundant_indexes(apps.get_model(label)._meta.db_table) == []


@pytest.mark.django_db
def test_redundancy_check_sees_a_redundant_index():
    """The check above can fail: an index on a column that leads another index is reported."""
    table = apps.get_model(PRODUCT)._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX test_redundant_commune ON {table} (commune_id)")  # noqa: S608 — test DDL
    assert any(name.startswith("test_redundant_commune") for name in redundant_indexes(table))


@pytest.mark.django_db
def test_the_listing_keeps_its_fts_triggers_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 triggers exist on SQLite only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["portal_portallisting"],
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {"portal_listing_fts_ai", "portal_listing_fts_ad", "portal_listing_fts_au"} <= names
