"""The verification hot path shared by the public page and ``GET /api/v1/stamps/{code}``.

One indexed SELECT (stamp joined to batch, product and entity, the certificate in force as two small
subqueries), the verdict from signals.py, and the scan handed to the scan log — nothing else touches the
database for a known code. A code whose check character fails is answered "unknown" without any query;
unknown codes count against the source's probing budget (shared cache), beyond which it gets HTTP 429.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import os
import threading
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from ocop.core import ratelimit

from . import codes, signals
from .choices import StampStatus, Verdict
from .conf import conf
from .scanlog import PendingScan, _aware, max_scans, probing_alert, scan_log

PROBE_WINDOW = 600  # seconds


class Throttled(Exception):
    message = "Bạn đã tra cứu quá nhiều mã tem không tồn tại. Vui lòng thử lại sau ít phút."


@dataclass(slots=True)
class Source:
    """Where a scan came from, reduced to what the counterfeit rules need."""

    net_hash: str = ""
    ua_hash: str = ""
    province: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(slots=True)
class Result:
    status: str
    code: str = ""
    scan_count: int = 0
    lot: str = ""
    product: dict | None = None
    info: dict = field(default_factory=dict)
    signals: list[str] = field(default_factory=list)

    def as_api(self) -> dict:
        return {
            "status": self.status,
            "product": self.product,
            "lot": self.lot,
            "scan_count": self.scan_count,
        }


def _digest(value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


@lru_cache(maxsize=4096)
def _net_hash(raw_ip: str) -> str:
    try:
        ip = ipaddress.ip_address(raw_ip)
    except ValueError:
        return ""
    net = ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 48}", strict=False)
    return _digest(str(net))


@lru_cache(maxsize=1024)
def _ua_hash(ua: str) -> str:
    return _digest(ua) if ua else ""


def source_of(request, *, province: str = "", lat=None, lon=None) -> Source:
    """Hash the IP's network (/24, IPv6 /48) and the user agent; keep a place only if the phone sent one."""
    return Source(
        net_hash=_net_hash(request.META.get("REMOTE_ADDR", "")),
        ua_hash=_ua_hash(request.META.get("HTTP_USER_AGENT", "")[:512]),
        province=(province or "").strip()[:60],
        lat=_coarse(lat, 90),
        lon=_coarse(lon, 180),
    )


def _coarse(value, limit: float) -> float | None:
    """Coordinates rounded to 0.01° (about 1 km): enough to tell provinces apart, not a house."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not -limit <= number <= limit:
        return None
    return round(number, 2)


_local = threading.local()


def _reader():
    """The connection the lookup runs on.

    Django closes a request's SQLite connection after every request (CONN_MAX_AGE=0 for SQLite), and
    opening one with its PRAGMAs costs about 1 ms — thirty times the lookup itself. So each server thread
    keeps one connection of its own for this read (autocommit: every lookup sees the latest committed
    scans and statuses). Inside a transaction (tests, or a caller's atomic block) the caller's connection
    is used, so uncommitted rows are seen."""
    if not conf().reader_connection or connection.in_atomic_block:
        return connection
    reader = getattr(_local, "reader", None)
    if reader is None or _local.pid != os.getpid():
        reader = connections.create_connection(DEFAULT_DB_ALIAS)
        if reader.vendor == "sqlite":
            # Read the stamp index through the OS page cache instead of copying pages into a 2 MB cache.
            with reader.cursor() as cursor:
                cursor.execute("PRAGMA mmap_size = 268435456")
        _local.reader, _local.pid = reader, os.getpid()
    return reader


def _lookup(params: list):
    reader = _reader()
    try:
        if reader is not connection:
            if reader.connection is None:
                reader.ensure_connection()
            if reader.vendor == "sqlite":
                # The driver's own cursor: skips Django's wrappers and its %s → ? rewrite of a long query.
                return reader.connection.execute(_lookup_sql_qmark(), params).fetchone()
            if reader.vendor == "postgresql" and conf().prepared_lookup:
                return _lookup_prepared(reader.connection, params)
        with reader.cursor() as cursor:
            cursor.execute(_lookup_sql(), params)
            return cursor.fetchone()
    except Exception:
        if reader is not connection:  # start afresh next time (server restarted, file replaced…)
            reader.close()
            _local.reader = None
        raise


def _lookup_prepared(pg, params: list):
    """PostgreSQL: the lookup as a server-side prepared statement on the reader's own connection.

    Django binds parameters client-side (the values inlined into the SQL text), so PostgreSQL parses and
    plans the five-table query on every scan: planning measured ~0.3 ms on a quiet server, six times the
    execution, and most of the database's CPU per verification. A plain psycopg cursor binds server-side
    and ``prepare=True`` makes the connection parse and plan it once (a generic plan: the same index
    lookups for any code). Only this reader connection prepares, so Django's own connections keep working
    behind PgBouncer; turn it off with ``STAMP_PREPARED_LOOKUP = False`` where even this one is pooled in
    transaction mode."""
    import psycopg

    if pg.prepare_threshold is None:  # Django disables preparing; prepare=True is ignored without this
        pg.prepare_threshold = 5
    with psycopg.Cursor(pg) as cursor:
        return cursor.execute(_lookup_sql(), params, prepare=True).fetchone()


@cache
def _lookup_sql_qmark() -> str:
    return _lookup_sql().replace("%s", "?")


@cache
def _lookup_sql() -> str:
    from ocop.certification.models import Certificate
    from ocop.producers.models import Entity
    from ocop.products.models import Product

    from .models import Batch, Stamp

    q = connection.ops.quote_name
    cert = q(Certificate._meta.db_table)
    in_force = (
        "c.product_id = p.id AND c.valid_from <= %s AND c.valid_to >= %s "
        "AND (c.ended_on IS NULL OR c.ended_on > %s)"
    )
    return (
        "SELECT s.id, s.status, s.scan_count, s.first_scan_at, s.first_scan_place, s.last_place_at, "
        "s.last_lat, s.last_lon, s.last_province, s.flagged, s.activated_at, "
        "b.id, b.lot, b.production_date, b.expiry_date, b.raw_material_origin, b.area_certificates, "
        "p.id, p.name, p.gtin, e.name, "
        f"(SELECT MAX(c.stars) FROM {cert} c WHERE {in_force}), "
        f"(SELECT MAX(c.valid_to) FROM {cert} c WHERE {in_force}) "
        f"FROM {q(Stamp._meta.db_table)} s JOIN {q(Batch._meta.db_table)} b ON b.id = s.batch_id "
        f"JOIN {q(Product._meta.db_table)} p ON p.id = b.product_id "
        f"JOIN {q(Entity._meta.db_table)} e ON e.id = p.entity_id WHERE s.code = %s"
    )


@lru_cache(maxsize=2)
def _today(minute: int):
    """Today's date as the database takes it, worked out once a minute (time zones are not free)."""
    return connection.ops.adapt_datefield_value(timezone.localdate())


def _date(value):
    """Dates read with raw SQL: SQLite gives ISO text."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _unknown(code: str, source: Source, now: dt.datetime) -> Result:
    key = f"stamps:probe:{source.net_hash or 'none'}"
    limit = conf().probe_limit
    count = ratelimit.count(key, PROBE_WINDOW)
    if count > limit:
        if count == limit + 1:
            probing_alert(source.net_hash, count)
        raise Throttled
    scan_log.record(
        PendingScan(None, code, now, Verdict.UNKNOWN, net_hash=source.net_hash, ua_hash=source.ua_hash)
    )
    return Result(Verdict.UNKNOWN, code=code)


def verify(text: str, source: Source, *, gtin: str | None = None, lot: str | None = None) -> Result:
    """Answer one scan. ``text`` is a full code, or the 20-character serial of a Digital Link URL when
    ``gtin``/``lot`` are given (both must then match the stamp's product and batch)."""
    now = timezone.now()
    if gtin is not None:
        code = codes.from_serial20(text) or ""
    else:
        code = codes.normalise(text)
        if not codes.is_valid(code):
            code = ""
    if not code:
        return _unknown(text[:40], source, now)
    today = _today(int(now.timestamp()) // 60)
    row = _lookup([today] * 6 + [code])
    if row is None:
        return _unknown(code, source, now)
    (stamp_id, status, scan_count, first_at, first_place, last_place_at, last_lat, last_lon, last_province,
     flagged, activated_at, batch_id, batch_lot, production, expiry, origin, area, product_id, product_name,
     product_gtin, entity_name, stars, cert_until) = row  # fmt: skip
    if gtin is not None and (gtin != codes.gtin14(product_gtin) or lot != batch_lot):
        return _unknown(text[:40], source, now)

    state = signals.StampState(
        status, scan_count, _aware(last_place_at), last_lat, last_lon, last_province or ""
    )
    for waiting in scan_log.pending(stamp_id):  # this process's scans not yet written
        signals.advance(state, waiting.place)
        first_at = first_at or waiting.at
    place = signals.ScanPlace(now, source.lat, source.lon, source.province)
    raised = signals.evaluate(state, place, max_scans=max_scans())
    if status in (StampStatus.REVOKED, StampStatus.VOID):
        verdict = Verdict.REVOKED
    elif flagged or raised:
        verdict = Verdict.SUSPICIOUS
    else:
        verdict = Verdict.GENUINE
    scan_log.record(
        PendingScan(
            stamp_id,
            code,
            now,
            verdict,
            province=source.province,
            lat=source.lat,
            lon=source.lon,
            net_hash=source.net_hash,
            ua_hash=source.ua_hash,
        )
    )
    first_at = _aware(first_at)
    return Result(
        verdict,
        code=code,
        scan_count=state.scan_count + 1,
        lot=batch_lot,
        product={"id": product_id, "name": product_name, "entity": entity_name, "stars": stars},
        info={
            "stamp_status": status,
            "first_scan_at": first_at or now,
            "first_scan_place": first_place or (source.province if first_at is None else ""),
            "is_first_scan": first_at is None,
            "production_date": _date(production),
            "expiry_date": _date(expiry),
            "raw_material_origin": origin,
            "area_certificates": area,
            "certificate_until": _date(cert_until),
            "activated_at": _aware(activated_at),
            "batch_id": batch_id,
        },
        signals=list(raised),
    )
