"""Bulk writes: ``BulkInsert`` (rows of some columns of a model's table, no model instances), ``chunks``, and
on SQLite a table's secondary indexes built once after a large insert, not row by row.

Inserting thousands of rows into a table with many indexes costs one random B-tree insertion per row and
per index (the portal listing has 17 indexes: 12,600 rows take ~0.45 s with them, ~0.07 s without). When a
write at least doubles a table, dropping its plain (non-unique) indexes inside the transaction and creating
them again afterwards from their own stored SQL is cheaper: CREATE INDEX sorts once. SQLite's DDL is
transactional, so a failure rolls the indexes back with the rows, and readers (WAL) keep seeing the old
schema until the commit. Unique indexes stay in place (they check the rows as they come). PostgreSQL is left
alone (COPY is used there, and DROP INDEX would lock out the readers).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import RawSQL

MIN_ROWS = 1_000  # below this the DDL costs more than it saves
CHUNK = 900  # ids per IN (…) list
RETURNING_BATCH = 1_000  # rows per INSERT … VALUES … RETURNING statement
WRITE_BATCH = 5_000  # rows per executemany call
T = TypeVar("T")


def id_set(ids: Iterable[int]) -> RawSQL:
    """Many ids as one parameter, for ``field__in=id_set(ids)``: ``IN (SELECT value FROM json_each(…))`` on
    SQLite, ``IN (SELECT unnest(…))`` on PostgreSQL. Reading the rows of 20,000 products this way costs one
    statement, not 23 of 900 placeholders each prepared by the ORM one value at a time."""
    values = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [values])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


class BulkInsert:
    """INSERT of some columns of a model's table from plain value tuples; every other column gets its
    default (timestamps: ``now``). No model is instantiated and nothing is ``full_clean``-ed: the caller has
    checked the rows.

    SQLite: one executemany per batch, with the constant defaults written into the statement (binding the
    same dozen defaults to every row costs about a third of a wide table's insert); the new ids are read
    back as the range above the table's highest id before the insert (the writer holds the database's write
    lock: ``transaction_mode=IMMEDIATE``) and checked to be consecutive and complete. PostgreSQL: ids drawn
    from the table's sequence first, then one ``COPY`` of all rows. A large insert into a table it at least
    doubles defers the table's plain indexes (``indexes_deferred``).
    """

    def __init__(self, model: type[Model], columns: Sequence[str], *, now: dt.datetime) -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        self.model = model
        self.table = quote(meta.db_table)
        self.pk = quote(meta.pk.column)
        by_attname = {f.attname: f for f in meta.concrete_fields if not f.primary_key}
        self.fields = [by_attname[name] for name in columns]
        rest = [f for name, f in by_attname.items() if name not in columns]
        self.tail = tuple(
            f.get_db_prep_save(
                now
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else f.get_default(),
                connection,
            )
            for f in rest
        )
        names = [f.column for f in self.fields] + [f.column for f in rest]
        self.columns = ", ".join(quote(name) for name in names)
        self.row_sql = "(" + ", ".join(["%s"] * len(names)) + ")"
        literal = [(f.column, _sql_literal(value)) for f, value in zip(rest, self.tail, strict=True)]
        bound = [
            (f.column, value)
            for (_column, sql), f, value in zip(literal, rest, self.tail, strict=True)
            if sql is None
        ]
        written = [(column, sql) for column, sql in literal if sql is not None]
        self.bound_tail = tuple(value for _column, value in bound)
        sqlite_columns = [f.column for f in self.fields] + [c for c, _v in bound] + [c for c, _s in written]
        self.sqlite_insert = (
            f"INSERT INTO {self.table} ({', '.join(quote(name) for name in sqlite_columns)}) VALUES ("
            + ", ".join(["%s"] * (len(self.fields) + len(bound)) + [sql for _column, sql in written])
            + ")"
        )

    def insert(self, rows: list[tuple], *, ids: bool = False) -> list[int]:
        """Insert rows (values of the named columns, in order, as stored: dates through ``StoredDates``);
        their new ids in the same order if asked."""
        if not rows:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                return self._copy(cursor, rows, ids=ids)
            if ids and connection.vendor != "sqlite":
                return self._returning(cursor, rows)
            return self._sqlite(cursor, rows, ids=ids)

    def _sqlite(self, cursor: Any, rows: list[tuple], *, ids: bool) -> list[int]:
        tail = self.bound_tail
        full = [row + tail for row in rows] if tail else rows
        before = 0
        if ids:
            cursor.execute(f"SELECT MAX({self.pk}) FROM {self.table}")
            before = cursor.fetchone()[0] or 0
        with indexes_deferred(self.model._meta.db_table, adding=len(full)):
            for part in chunks(full, WRITE_BATCH):
                cursor.executemany(self.sqlite_insert, part)
        if not ids:
            return []
        # The write lock is ours since the transaction began: the new rows are exactly those above `before`,
        # in insertion order (AUTOINCREMENT ids only grow), consecutive: their range is read, not every id.
        pk = self.pk
        cursor.execute(f"SELECT MIN({pk}), MAX({pk}), COUNT(*) FROM {self.table} WHERE {pk} > %s", [before])
        first, last, count = cursor.fetchone()
        if count != len(rows) or (count and last - first + 1 != count):
            raise RuntimeError(f"{self.table}: {count} new ids ({first}–{last}) for {len(rows)} rows")
        return list(range(first, last + 1)) if count else []

    def _copy(self, cursor: Any, rows: list[tuple], *, ids: bool) -> list[int]:
        """PostgreSQL: ids drawn from the table's sequence in one query (safe beside concurrent writers),
        then one COPY of every row."""
        tail = self.tail
        columns = self.columns
        found: list[int] = []
        if ids:
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)",
                [self.model._meta.db_table, self.model._meta.pk.column],
            )
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(rows)])
            found = sorted(pk for (pk,) in cursor.fetchall())  # ascending, in the order of the rows
            columns = f"{self.pk}, {columns}"
        with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
            if ids:
                for pk, row in zip(found, rows, strict=True):
                    copy.write_row((pk, *row, *tail))
            else:
                for row in rows:
                    copy.write_row(row + tail)
        return found

    def _returning(self, cursor: Any, rows: list[tuple]) -> list[int]:
        found: list[int] = []
        for part in chunks([row + self.tail for row in rows], RETURNING_BATCH):
            sql = (
                f"INSERT INTO {self.table} ({self.columns}) VALUES "
                + ", ".join([self.row_sql] * len(part))
                + f" RETURNING {self.pk}"
            )
            cursor.execute(sql, [value for row in part for value in row])
            found.extend(pk for (pk,) in cursor.fetchall())
        return found


def _sql_literal(value: object) -> str | None:
    """An SQLite literal storing exactly what binding ``value`` stores (None, bool, int, text without quotes
    or percent signs, which the cursor wrapper would read as placeholders); None when it is to be bound."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if type(value) is int:
        return str(value)
    if isinstance(value, str) and "'" not in value and "%" not in value and "\x00" not in value:
        return f"'{str.__str__(value)}'"
    return None


class StoredScores(dict):
    """A decimal (or None) → its stored form for a DecimalField of ``digits``/``places``, each distinct value
    adapted once (the backend's formatting costs ~25 µs; scores repeat)."""

    def __init__(self, *, digits: int, places: int) -> None:
        super().__init__()
        self.adapt = connection.ops.adapt_decimalfield_value
        self.digits, self.places = digits, places

    def __missing__(self, value: object) -> object:
        stored = self[value] = None if value is None else self.adapt(value, self.digits, self.places)
        return stored
