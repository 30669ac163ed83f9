"""The database reads of the verification hot path: one stamp by its code, and its batch's public facts.

A scan needs the stamp's own row fresh (status, counters, last place: a revocation or a scan written a
moment ago must show at once), but what it shows about the batch (lot, dates, product, entity, stars in
force) changes rarely. So the stamp is one narrow indexed SELECT per scan, and the batch facts — a
four-table join with two certificate subqueries, two thirds of PostgreSQL's work per scan when it was part
of every lookup — are read once per batch and kept ``BATCH_FACTS_SECONDS`` in the process (server threads
only: under a caller's transaction, as in tests, both reads go to the caller's connection uncached).
"""

from __future__ import annotations

import os
import threading
import time
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections

from .conf import conf

BATCH_FACTS_SECONDS = 2.0  # how stale a product name, lot date or star rating may be on the verify page
BATCH_FACTS_MAX = 4096  # batches kept per process before the cache starts afresh

_local = threading.local()
_batch_facts: dict[int, tuple[float, tuple | None]] = {}
_clock = time.monotonic


def reader():
    """The connection the lookup runs on.

    Django closes a request's SQLite connection after every request (CONN_MAX_AGE=0 for SQLite), and
    opening one with its PRAGMAs costs about 1 ms — thirty times the lookup itself. So each server thread
    keeps one connection of its own for this read (autocommit: every lookup sees the latest committed
    scans and statuses). Inside a transaction (tests, or a caller's atomic block) the caller's connection
    is used, so uncommitted rows are seen."""
    if not conf().reader_connection or connection.in_atomic_block:
        return connection
    kept = getattr(_local, "reader", None)
    if kept is None or _local.pid != os.getpid():
        kept = connections.create_connection(DEFAULT_DB_ALIAS)
        if kept.vendor == "sqlite":
            # Read the stamp index through the OS page cache instead of copying pages into a 2 MB cache.
            with kept.cursor() as cursor:
                cursor.execute("PRAGMA mmap_size = 268435456")
        _local.reader, _local.pid, _local.prepared = kept, os.getpid(), None
    return kept


def stamp_and_batch(code: str, today) -> tuple[tuple | None, tuple | None]:
    """The stamp's row (``STAMP_COLUMNS``) and its batch's facts (``batch_sql``); (None, None) for an
    unknown code."""
    db = reader()
    try:
        stamp = _stamp_row(db, code)
        if stamp is None:
            return None, None
        return stamp, _batch_row(db, stamp[-1], today)
    except Exception:
        if db is not connection:  # start afresh next time (server restarted, file replaced…)
            db.close()
            _local.reader = None
        raise


def _stamp_row(db, code: str):
    if db is not connection:
        if db.connection is None:
            db.ensure_connection()
        if db.vendor == "sqlite":
            # The driver's own cursor: skips Django's wrappers and its %s → ? rewrite.
            return db.connection.execute(_qmark(stamp_sql()), [code]).fetchone()
        if db.vendor == "postgresql" and conf().prepared_lookup:
            return _stamp_row_prepared(db.connection, code)
    with db.cursor() as cursor:
        cursor.execute(stamp_sql(), [code])
        return cursor.fetchone()


_STATEMENT = b"ocop_stamp_by_code"
_TEXT_OID = 25


def _stamp_row_prepared(pg, code: str):
    """PostgreSQL: the stamp read as a statement prepared once per reader connection, results in binary.

    Django binds parameters client-side (values inlined into the SQL text), so PostgreSQL would parse and
    plan the query on every scan — planning alone was ~0.3 ms of the backend's CPU, several times the
    execution. Here libpq's PQexecPrepared runs the prepared statement directly (it releases the GIL while
    it waits) and psycopg's loaders decode the binary row: a third of the client CPU of a psycopg cursor.
    Only this reader connection prepares, so Django's own connections keep working behind PgBouncer; set
    ``STAMP_PREPARED_LOOKUP = False`` where even this one goes through a transaction-mode pooler."""
    import psycopg
    from psycopg import pq
    from psycopg.adapt import Transformer

    prepared = getattr(_local, "prepared", None)
    if prepared is None or prepared[0] is not pg:
        sql = stamp_sql().replace("%s", "$1").encode()
        _check(pg.pgconn.prepare(_STATEMENT, sql, [_TEXT_OID]), pq.ExecStatus.COMMAND_OK, psycopg)
        prepared = _local.prepared = (pg, Transformer(pg))
    result = pg.pgconn.exec_prepared(_STATEMENT, [code.encode()], result_format=pq.Format.BINARY)
    _check(result, pq.ExecStatus.TUPLES_OK, psycopg)
    if not result.ntuples:
        return None
    loader = prepared[1]
    loader.set_pgresult(result, format=pq.Format.BINARY)
    return loader.load_row(0, tuple)


def _check(result, expected, psycopg) -> None:
    if result.status != expected:
        message = (result.error_message or b"").decode(errors="replace").strip()
        raise psycopg.DatabaseError(message or f"PostgreSQL: {result.status!r}")


def _batch_row(db, batch_id: int, today):
    kept = db is not connection
    now = _clock()
    if kept:
        cached = _batch_facts.get(batch_id)
        if cached is not None and cached[0] > now:
            return cached[1]
    with db.cursor() as cursor:
        cursor.execute(batch_sql(), [today] * 6 + [batch_id])
        row = cursor.fetchone()
    if kept:
        if len(_batch_facts) >= BATCH_FACTS_MAX:
            _batch_facts.clear()
        _batch_facts[batch_id] = (now + BATCH_FACTS_SECONDS, row)
    return row


def forget_batch_facts() -> None:
    _batch_facts.clear()


@cache
def _qmark(sql: str) -> str:
    return sql.replace("%s", "?")


STAMP_COLUMNS = (
    "id, status, scan_count, first_scan_at, first_scan_place, last_place_at, last_lat, last_lon, "
    # batch_id last: stamp_and_batch reads it there
    "last_province, flagged, activated_at, scan_clients, batch_id"
)


@cache
def stamp_sql() -> str:
    from .models import Stamp

    return f"SELECT {STAMP_COLUMNS} FROM {connection.ops.quote_name(Stamp._meta.db_table)} WHERE code = %s"  # noqa: S608 — quoted name; the stamp lookup on every scan


@cache
def batch_sql() -> str:
    """The batch's public facts: lot, production/expiry dates, origin, area certificates, product id, name
    and GTIN, entity name, and the stars and end date of the certificate in force ``today``."""
    from ocop.certification.models import Certificate
    from ocop.producers.models import Entity
    from ocop.products.models import Product

    from .models import Batch

    q = connection.ops.quote_name
    cert = q(Certificate._meta.db_table)
    in_force = (
        "c.product_id = p.id AND c.valid_from <= %s AND c.valid_to >= %s "
        "AND (c.ended_on IS NULL OR c.ended_on > %s)"
    )
    return (
        "SELECT b.lot, b.production_date, b.expiry_date, b.raw_material_origin, b.area_certificates, "  # noqa: S608 — model table names; one query per public scan
        "p.id, p.name, p.gtin, e.name, "
        f"(SELECT MAX(c.stars) FROM {cert} c WHERE {in_force}), "
        f"(SELECT MAX(c.valid_to) FROM {cert} c WHERE {in_force}) "
        f"FROM {q(Batch._meta.db_table)} b JOIN {q(Product._meta.db_table)} p ON p.id = b.product_id "
        f"JOIN {q(Entity._meta.db_table)} e ON e.id = p.entity_id WHERE b.id = %s"
    )
