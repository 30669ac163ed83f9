"""The SQLite FTS5 index of the listing (migration 0004: an external-content table over the folded search
key, trigram tokenizer, kept in sync by triggers). PostgreSQL uses the pg_trgm index of migration 0002.

Its triggers tokenise every deleted and inserted row one at a time: for a refresh of thousands of products
(an import) it is cheaper to drop the insert/delete triggers inside the transaction, write, rebuild the
index from the table in one statement and put the triggers back (``services.listing.listing_refresh``).
"""

from __future__ import annotations

import importlib
from functools import cache

from django.db import connection

REBUILD_FROM = 2_000  # products in one refresh from which the index is rebuilt rather than kept by triggers
_WRITE_TRIGGERS = ("portal_listing_fts_ai", "portal_listing_fts_ad")


@cache
def available() -> bool:
    """Whether this database has the index (SQLite built with FTS5 and its trigram tokenizer)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'portal_listing_fts'")
        return cursor.fetchone() is not None


def triggers_off() -> bool:
    """Drop the insert/delete triggers (inside the caller's transaction); False when there are none to drop
    (not SQLite, no index, or dropped already)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s)", _WRITE_TRIGGERS
        )
        if cursor.fetchone()[0] != len(_WRITE_TRIGGERS):
            return False
        for trigger in _WRITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {trigger}")
    return True


def rebuild_and_triggers_on() -> None:
    """Rebuild the index from the listing table and create the triggers again, as migration 0004 does."""
    create = importlib.import_module("ocop.portal.migrations.0004_sqlite_fts").CREATE
    triggers = [sql for sql in create if any(trigger in sql for trigger in _WRITE_TRIGGERS)]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO portal_listing_fts(portal_listing_fts) VALUES ('rebuild')")
        for sql in triggers:
            cursor.execute(sql)
