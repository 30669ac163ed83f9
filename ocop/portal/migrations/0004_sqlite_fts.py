"""SQLite only: an FTS5 index (trigram tokenizer: substring matches) over the folded search key.

FTS5 does not fold đ, so it is fed the already folded ``search_key``. It is an external-content table
kept in sync by triggers, so every write path (bulk or not) keeps it right. PostgreSQL uses the pg_trgm
GIN index of migration 0002 instead.
"""

from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS portal_listing_fts USING fts5("
    "search_key, content='portal_portallisting', content_rowid='product_id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS portal_listing_fts_ai AFTER INSERT ON portal_portallisting BEGIN "
    "INSERT INTO portal_listing_fts(rowid, search_key) VALUES (new.product_id, new.search_key); END",
    "CREATE TRIGGER IF NOT EXISTS portal_listing_fts_ad AFTER DELETE ON portal_portallisting BEGIN "
    "INSERT INTO portal_listing_fts(portal_listing_fts, rowid, search_key) "
    "VALUES ('delete', old.product_id, old.search_key); END",
    "CREATE TRIGGER IF NOT EXISTS portal_listing_fts_au AFTER UPDATE ON portal_portallisting BEGIN "
    "INSERT INTO portal_listing_fts(portal_listing_fts, rowid, search_key) "
    "VALUES ('delete', old.product_id, old.search_key); "
    "INSERT INTO portal_listing_fts(rowid, search_key) VALUES (new.product_id, new.search_key); END",
    "INSERT INTO portal_listing_fts(portal_listing_fts) VALUES ('rebuild')",
]
DROP = [
    "DROP TRIGGER IF EXISTS portal_listing_fts_ai",
    "DROP TRIGGER IF EXISTS portal_listing_fts_ad",
    "DROP TRIGGER IF EXISTS portal_listing_fts_au",
    "DROP TABLE IF EXISTS portal_listing_fts",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.portal_fts_probe USING fts5(x, tokenize='trigram')")
            cursor.execute("DROP TABLE temp.portal_fts_probe")
        except Exception:  # noqa: BLE001 — SQLite built without FTS5/trigram: search falls back to LIKE
            return
        for statement in CREATE:
            cursor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_fill_listing")]
    operations = [migrations.RunPython(forwards, backwards)]
