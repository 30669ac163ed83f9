"""Bulk loading on SQLite: a table's secondary indexes built once after a large insert, not row by row.

Inserting thousands of rows into a table with many indexes costs one random B-tree insertion per row and
per index (the portal listing has 17 indexes: 12,600 rows take ~0.45 s with them, ~0.07 s without). When a
write at least doubles a table, dropping its plain (non-unique) indexes inside the transaction and creating
them again afterwards from their own stored SQL is cheaper: CREATE INDEX sorts once. SQLite's DDL is
transactional, so a failure rolls the indexes back with the rows, and readers (WAL) keep seeing the old
schema until the commit. Unique indexes stay in place (they check the rows as they come). PostgreSQL is left
alone (COPY is used there, and DROP INDEX would lock out the readers).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.db import connection

MIN_ROWS = 1_000  # below this the DDL costs more than it saves


@contextmanager
def indexes_deferred(table: str, *, adding: int) -> Iterator[None]:
    """Around an insert of ``adding`` rows into ``table`` (unquoted name), inside a transaction."""
    if connection.vendor != "sqlite" or adding < MIN_ROWS or not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 — quoted table name; no model here, only the table
        if cursor.fetchone()[0] > adding:
            indexes = []
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql LIKE 'CREATE INDEX %%'",
                [table],
            )
            indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    except BaseException:
        # The transaction is on its way back (which restores them too); recreate them anyway in case a
        # caller swallows the error inside the same transaction.
        with suppress(Exception):  # the original error is the one to report
            _create(indexes)
        raise
    _create(indexes)


def sql_names(model, *fields: str) -> tuple[str, list[str]]:
    """A model's quoted table name and the quoted columns of these fields, for the raw SQL of bulk paths."""
    quote = connection.ops.quote_name
    meta = model._meta
    return quote(meta.db_table), [quote(meta.get_field(name).column) for name in fields]


def _create(indexes: list[tuple[str, str]]) -> None:
    if indexes:
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)


class StoredDates(dict):
    """A date (or ISO text read back from SQLite, or None) → its stored form, each distinct value adapted
    once: bulk writes look dates up without a Python frame each (``StoredDates().__getitem__``), and the
    connection proxy is passed once, not per value (it costs microseconds per access)."""

    def __init__(self) -> None:
        super().__init__()
        self.adapt = connection.ops.adapt_datefield_value

    def __missing__(self, value: object) -> object:
        stored = self[value] = None if value is None else self.adapt(value)
        return stored
