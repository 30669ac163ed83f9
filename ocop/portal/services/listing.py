"""The public listing, the portal's read model: one row per product whose latest certificate has not
ended, kept current from the products' writes (``on_products_changed``, connected to
``ocop.core.signals.products_changed`` in ``portal/apps.py``) and rebuilt whole by
``rebuild_portal_index``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ocop.certification.selectors import certified_product_ids
from ocop.core.bulk import indexes_deferred
from ocop.geography.choices import Generation
from ocop.products.selectors import product_names

from .. import fts
from ..cache import portal_changed
from ..models import PortalListing
from ..slugs import slug_for

# One row per product whose latest certificate has not ended. ``_LISTING_SQL`` is the one definition of a
# row: the database builds every row of a refresh from the products, entities, certificates and units in
# one INSERT … SELECT (set-based, whatever the number of products); only the slug, made from the product's
# name by Django's slugify, is computed here and handed over with the ids.

_LISTING_COLUMNS = (
    "product_id", "name", "slug", "name_key", "entity_key", "search_key", "entity_id", "entity_name",
    "group_code", "stars", "certificate_id", "certificate_number", "valid_from", "valid_to", "commune_id",
    "commune_name", "district_name", "province_id", "province_name", "new_commune_id", "new_province_id",
    "latitude", "longitude", "refreshed_at",
)  # fmt: skip

# {refresh}: the products refreshed with their slugs, as a row source (product_id, slug), read once
# (MATERIALIZED: a planner could otherwise re-read it for every row it is joined to).
# A listing row places its product in its own commune, the commune's district and province, and the 2025
# commune and province it lies in now (itself, or its successor), at its own position or, lacking one, the
# 2025 commune's.
_LISTING_SQL = """
WITH refresh AS MATERIALIZED {refresh}
INSERT INTO portal_portallisting ({columns})
SELECT p.id, p.name, r.slug, p.name_key, e.name_key, substr(p.search_key, 1, 800), p.entity_id, e.name,
       p.group_code, c.stars, c.id, c.number, c.valid_from, c.valid_to, p.commune_id,
       u.name, CASE WHEN parent.level = 'district' THEN parent.name ELSE '' END,
       COALESCE(u.province_id, u.id), CASE WHEN u.province_id IS NULL THEN u.name ELSE province.name END,
       n.id, n.province_id,
       CASE WHEN (u.latitude IS NULL OR u.longitude IS NULL) AND n.id IS NOT NULL
            THEN n.latitude ELSE u.latitude END,
       CASE WHEN (u.latitude IS NULL OR u.longitude IS NULL) AND n.id IS NOT NULL
            THEN n.longitude ELSE u.longitude END,
       %s
FROM refresh r
INNER JOIN products_product p ON p.id = r.product_id
INNER JOIN producers_entity e ON e.id = p.entity_id
INNER JOIN (
    SELECT id, product_id, stars, number, valid_from, valid_to, ended_on,
           ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY valid_from DESC, id DESC) AS latest
    FROM certification_certificate
    WHERE product_id IN (SELECT product_id FROM refresh)
) c ON c.product_id = p.id AND c.latest = 1 AND c.ended_on IS NULL
INNER JOIN geography_adminunit u ON u.id = p.commune_id
LEFT JOIN geography_adminunit parent ON parent.id = u.parent_id
LEFT JOIN geography_adminunit province ON province.id = u.province_id
LEFT JOIN geography_adminunit n
       ON n.id = CASE WHEN u.generation = '{legacy}' THEN u.successor_id ELSE u.id END
"""


@transaction.atomic
def listing_refresh(*, product_ids: Iterable[int]) -> int:
    """Bring the public listing of these products up to date; returns the rows written.

    A product is listed when its latest certificate (by valid_from, then id) has not been ended (revoked,
    or replaced by a non-OCOP result): in force or expired-not-renewed. Revoked products are never listed.

    Set-based: the products' rows are deleted, then built and inserted by the database in one statement
    (``_LISTING_SQL``). A refresh that at least doubles the listing builds the SQLite indexes once at the
    end (ocop.core.bulk) and the FTS index in one go; a small one (a 12-row file into a national database)
    keeps the triggers, so its cost follows the products refreshed, not the listing's size.
    """
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return 0
    bulk_fts = len(ids) >= fts.REBUILD_FROM and _listing_size() <= len(ids) and fts.triggers_off()
    with indexes_deferred(PortalListing._meta.db_table, adding=len(ids)):
        written = _listing_write(ids)
    if bulk_fts:
        fts.rebuild_and_triggers_on()
    portal_changed()
    return written


def on_products_changed(sender: object, *, product_ids: list[int], **kwargs: object) -> None:
    """``ocop.core.signals.products_changed``: the listing follows the products' writes (same transaction)."""
    listing_refresh(product_ids=product_ids)


def _listing_size() -> int:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(PortalListing._meta.db_table)
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — the model's own table name
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def _refresh_source(pairs: list[tuple[int, str]]) -> tuple[str, list[Any]]:
    """The (product_id, slug) pairs as a row source of one statement and its parameters: a JSON array read
    by json_each on SQLite, two arrays unnested on PostgreSQL (no IN list of thousands of placeholders)."""
    if connection.vendor == "postgresql":
        source = "(SELECT * FROM unnest(%s::bigint[], %s::text[]) AS pairs(product_id, slug))"
        return source, [[pk for pk, _slug in pairs], [slug for _pk, slug in pairs]]
    source = (
        "(SELECT CAST(json_extract(value, '$[0]') AS INTEGER) AS product_id, "
        "json_extract(value, '$[1]') AS slug FROM json_each(%s))"
    )
    return source, [json.dumps(pairs)]


def _listing_write(ids: list[int]) -> int:
    pairs = [
        (pk, slug_for(name))  # the slug keeps "y" ("my-tho"): URLs read as names are written
        for pk, name in product_names(product_ids=ids)
    ]
    source, params = _refresh_source(pairs)
    now = PortalListing._meta.get_field("refreshed_at").get_db_prep_save(timezone.now(), connection)
    table = connection.ops.quote_name(PortalListing._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in _LISTING_COLUMNS)
    insert = _LISTING_SQL.format(columns=columns, refresh=source, legacy=Generation.LEGACY)
    with connection.cursor() as cursor:
        # The model's table and the row source above (a fixed text with %s parameters).
        cursor.execute(f"DELETE FROM {table} WHERE product_id IN (SELECT product_id FROM {source} r)", params)  # noqa: S608
        cursor.execute(insert, [*params, now])
        if connection.vendor == "sqlite":  # (Python's sqlite3 counts no rows for a statement led by WITH)
            cursor.execute("SELECT changes()")
            row = cursor.fetchone()
            return int(row[0]) if row else 0
        return max(int(cursor.rowcount), 0)


def listing_rebuild() -> int:
    """Rebuild the whole listing (management command rebuild_portal_index)."""
    ids = certified_product_ids()
    with transaction.atomic():
        PortalListing.objects.exclude(product_id__in=ids).delete()
        return listing_refresh(product_ids=ids)
