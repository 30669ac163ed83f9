"""Test-time check of the house rule "every service that writes also audits" (issue 18).

While the suite runs, every public function of every app's services (``ocop.<app>.services`` and the modules
of a ``services`` package) is wrapped: the outermost service call records the SQL it sends, and when it
returns normally having inserted, updated or deleted rows of a domain table without inserting one audit row,
the test that called it fails (``violations`` is read by the root conftest after each test). So each service
is checked by the tests that already drive it, with the real database and no list to keep up to date; the
services that never write pass unnoticed.

A service whose writes are not the user's own actions (derived read models, the system's own bookkeeping)
is named in ``EXEMPT`` with the reason; an entry nothing calls any more is reported by
``ocop/tests/test_audit_watch.py``.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
import threading
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from django.apps import apps
from django.db import connections

AUDIT_TABLE = "core_auditlog"
# Tables whose rows are no record of anyone's action: sessions, the cache, the portal's derived listing, and
# a background job's status and progress (``core.jobs``: a service run by a job reports its progress there).
UNAUDITED_TABLES = {"django_session", "ocop_cache", "portal_portallisting", "portal_listing_fts", "core_job"}
# "module.function" → why its writes carry no audit row of their own.
EXEMPT: dict[str, str] = {
    "ocop.portal.services.listing.listing_refresh": "rebuilds the derived listing from audited records",
    "ocop.portal.services.listing.listing_rebuild": "rebuilds the derived listing from audited records",
    "ocop.portal.services.listing.on_products_changed": "the listing refresh, run by products_changed",
    "ocop.certification.services.certificates.certificates_sync": "derives certificates from audited events",
    "ocop.certification.services.reminders.expiry_reminders_send": "the daily job: each notice audited",
    "ocop.certification.services.reminders.notice_mark_read": "the reader's own unread marker (no record)",
    "ocop.imports.services.jobs.on_job_failed": "a crashed run's file marked failed (nothing was stored)",
}

_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.I)
_state = threading.local()
violations: list[str] = []
called: set[str] = set()


def service_modules() -> Iterator[ModuleType]:
    """Every app's services module, or each module of its services package."""
    for config in apps.get_app_configs():
        if not config.name.startswith("ocop."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.services":
                raise
            continue
        yield module
        if hasattr(module, "__path__"):
            for info in pkgutil.iter_modules(module.__path__):
                yield importlib.import_module(f"{module.__name__}.{info.name}")


def service_functions() -> Iterator[tuple[ModuleType, str, Callable[..., Any]]]:
    """(module, name, function) of each public function defined in a services module (not imported)."""
    for module in service_modules():
        for name, value in list(vars(module).items()):
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if getattr(value, "__module__", None) != module.__name__:
                continue
            yield module, name, value


def _tables_written(sql: str) -> str | None:
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


def _watched(qualname: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if getattr(_state, "active", False):  # a service called by another: the outer one answers
            return function(*args, **kwargs)
        written: set[str] = set()
        audited = False

        def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            nonlocal audited
            table = _tables_written(sql) if isinstance(sql, str) else None
            if table == AUDIT_TABLE and sql.lstrip()[:6].upper() == "INSERT":
                audited = True
            elif table is not None and table not in UNAUDITED_TABLES:
                written.add(table)
            return execute(sql, params, many, context)

        _state.active = True
        called.add(qualname)
        try:
            with connections["default"].execute_wrapper(record):
                result = function(*args, **kwargs)
        finally:
            _state.active = False
        if written and not audited and qualname not in EXEMPT:
            violations.append(f"{qualname} wrote {', '.join(sorted(written))} without an audit row")
        return result

    wrapper.__audit_watched__ = True  # type: ignore[attr-defined]
    return wrapper


def install() -> int:
    """Wrap every service function in place (once); returns how many are watched."""
    count = 0
    for module, name, function in service_functions():
        if not getattr(function, "__audit_watched__", False):
            setattr(module, name, _watched(f"{module.__name__}.{name}", function))
        count += 1
    return count
