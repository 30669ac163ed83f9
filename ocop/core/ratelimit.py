"""Fixed-window rate limits in the shared cache.

The ``default`` cache is Django's database cache in every deployed setting (``config/settings/base.py``), so
a limit holds across all gunicorn workers and machines that share the database — unlike a per-process
local-memory cache. The database cache's ``incr`` is a read-then-write, so with it the count runs in one
transaction that holds a lock (SQLite: the IMMEDIATE write lock; PostgreSQL: an advisory lock on the key),
which makes concurrent workers count exactly.

Usage::

    from ocop.core.ratelimit import client_ip, hit

    if not hit(f"stamp-verify:{client_ip(request)}", limit=60, window_s=60):
        return HttpResponse("Quá nhiều yêu cầu, vui lòng thử lại sau.", status=429)
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


def _cache_key(key: str, window_s: int) -> str:
    bucket = int(time.time() // window_s)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:40]
    return f"rl:{digest}:{window_s}:{bucket}"


def hit(key: str, limit: int, window_s: int) -> bool:
    """Count one event for ``key``; return True while at most ``limit`` events fell in this window.

    Keys are hashed (with the secret key) before they reach the cache, so IP addresses and usernames are not
    stored in clear. A window is a fixed slot of ``window_s`` seconds.
    """
    if limit <= 0:
        return False
    return count(key, window_s) <= limit


def count(key: str, window_s: int) -> int:
    """Count one event for ``key`` and return how many fell in this window so far (this one included);
    for callers that act on the count itself, e.g. alert once when a limit is first passed."""
    cache_key = _cache_key(key, window_s)
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        return _db_count(backend, cache_key, window_s)
    cache.add(cache_key, 0, timeout=window_s + 1)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_s + 1)
        return 1


@contextmanager
def _locked(backend: DatabaseCache, cache_key: str) -> Iterator[None]:
    """One transaction that holds the key's lock: SQLite's IMMEDIATE write lock (taken at BEGIN, see the
    settings), PostgreSQL an advisory lock on the key."""
    alias = router.db_for_write(backend.cache_model_class)
    connection = connections[alias]
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql":
            lock_id = int(hashlib.sha256(cache_key.encode()).hexdigest()[:15], 16)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
        yield


def _db_count(backend: DatabaseCache, cache_key: str, window_s: int) -> int:
    with _locked(backend, cache_key):
        count = (backend.get(cache_key) or 0) + 1
        backend.set(cache_key, count, timeout=window_s + 1)
    return count


def client_ip(request) -> str:
    """The client address as seen by Django (the reverse proxy must set REMOTE_ADDR, see docs/security.md)."""
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 — a key, not a bind address


# -- counters that expire a fixed time after their first event (login throttling) ----------------------------
_local_lock = threading.Lock()


def _counter_key(key: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:40]
    return f"ctr:{digest}"


def add(key: str, delta: int, window_s: int) -> int:
    """Add ``delta`` to the counter of ``key`` and return its new value, in one atomic step.

    The counter starts at the first ``add`` and lives ``window_s`` seconds from then (later adds do not
    extend it). Unlike ``hit``'s fixed slots, a counter cannot be doubled by straddling a slot boundary.
    With the database cache (every deployed setting) the read and the write run in one transaction holding
    a lock, so concurrent requests in any number of processes see distinct values; other caches are exact
    within one process only (the test settings' local memory).
    """
    cache_key = _counter_key(key)
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        with _locked(backend, cache_key):
            return _add(backend, cache_key, delta, window_s)
    with _local_lock:
        return _add(backend, cache_key, delta, window_s)


def _add(backend, cache_key: str, delta: int, window_s: int) -> int:
    now = time.time()
    value, expires = backend.get(cache_key) or (0, now + window_s)
    value = max(0, value + delta)
    if value == 0:
        backend.delete(cache_key)
    else:
        backend.set(cache_key, (value, expires), timeout=max(1, int(expires - now) + 1))
    return value


def clear(key: str) -> None:
    caches["default"].delete(_counter_key(key))
