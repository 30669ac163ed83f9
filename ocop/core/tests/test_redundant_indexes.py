"""The single-column indexes dropped by the redundant-index migrations stay dropped (on PostgreSQL with
their ``…_like`` twins), and the index that serves each of those columns is still there."""

import pytest
from django.db import connection

from ocop.certification.models import RecognitionEvent
from ocop.portal.models import PortalListing
from ocop.producers.models import Entity
from ocop.products.models import Product

# (model, column, the index that now serves lookups on that column: its leading columns)
DROPPED = [
    (Entity, "commune_id", ["commune_id", "name_key"]),
    (Entity, "search_key", None),
    (Product, "commune_id", ["commune_id", "name_key"]),
    (Product, "entity_id", ["entity_id", "name_key"]),
    (Product, "group_code", ["group_code", "name_key"]),
    (Product, "search_key", None),
    (RecognitionEvent, "product_id", ["product_id", "kind", "decision_date", "decision_number"]),
    (RecognitionEvent, "decision_date", ["decision_date", "kind"]),
    (PortalListing, "province_id", ["province_id", "valid_to"]),
    (PortalListing, "new_province_id", ["new_province_id", "valid_to"]),
]


def _indexes(model) -> list[dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [info for info in constraints.values() if info["index"] or info["unique"]]


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "column", "served_by"), DROPPED)
def test_redundant_index_is_gone_and_its_column_still_served(model, column, served_by):
    indexes = _indexes(model)
    own = [info for info in indexes if info["columns"] == [column] and not info["unique"]]
    assert own == []
    if served_by is not None:
        assert any(info["columns"] == served_by for info in indexes), indexes


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
