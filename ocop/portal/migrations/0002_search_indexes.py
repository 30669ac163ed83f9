"""PostgreSQL only: pg_trgm GIN index on the folded search key (LIKE '%word%' and word similarity).

SQLite has no such index type; there the listing is a narrow table scanned by LIKE on the folded key.
The extension may already exist (template1 of the test cluster); creating it needs rights a hosted
database may not grant, so a failure leaves the index out and the search falls back (see search.py).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("SAVEPOINT portal_trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT portal_trgm")
            except Exception:  # noqa: BLE001 — no rights: keep going without the index
                cursor.execute("ROLLBACK TO SAVEPOINT portal_trgm")
                return
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS portal_listing_search_trgm "
            "ON portal_portallisting USING gin (search_key gin_trgm_ops)"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS portal_listing_name_trgm "
            "ON portal_portallisting USING gin (name_key gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS portal_listing_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS portal_listing_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
