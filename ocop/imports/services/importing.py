"""Checking and storing a recognition list: ``import_check`` reads and plans (no writes); ``import_apply``
writes a plan inside one transaction (store.py: bulk inserts, then ``certificates_sync``, which tells the read
models), after making sure nothing changed since it was planned (otherwise it plans again inside the
transaction), and writes one audit row filed under a commune the file touches. The CLI calls it directly;
the web runs it as background jobs (``jobs.py``).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from ocop.core.audit import audit_record
from ocop.core.models import AuditLog
from ocop.core.tabular.readers import FileRefused, read_workbook
from ocop.geography.models import AdminUnit, Level
from ocop.geography.resolver import UnitResolver
from ocop.geography.selectors import commune_ids_covered_by

from ..headers import find_header
from ..models import ImportJob
from ..parsed import RowError, RowWarning
from ..plan import Plan
from ..planner import Planner
from ..rows import RowParser
from ..store import write_plan
from ..stored import database_snapshot

if TYPE_CHECKING:
    from ocop.accounts.models import User

Progress = Callable[[int, str], None]
STORED_MESSAGES = 10_000  # errors (and warnings) kept on an ImportJob (the CLI reports all)
_PG_LOCK = 7_004_004  # advisory lock serialising imports on PostgreSQL


@dataclass
class Outcome:
    ok: bool
    rows: int
    created_products: int
    created_entities: int
    events: int
    skipped: int
    errors: list[RowError]
    plan: Plan | None = None
    stored: bool = False
    warnings: list[RowWarning] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """The `--report-json` object of SPEC §5.3, exactly these keys."""
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created_products": self.created_products if self.ok else 0,
            "events": self.events if self.ok else 0,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
        }


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a file is checked and written: the import allocates hundreds of
    thousands of small acyclic objects (cells, rows, refs), which would trigger many useless full collections.
    Reference counting still frees everything; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scope_for(user: User | None) -> tuple[set[int] | None, AdminUnit | None]:
    """Commune ids a user may import into (None = anywhere) and the province to assume when a row has none."""
    if user is None or user.is_superuser or user.is_admin_role:
        return None, None
    unit = user.unit
    scope = set(commune_ids_covered_by(unit).values_list("id", flat=True)) if unit else set()
    return scope, unit if unit is not None and unit.level == Level.PROVINCE else None


def _recognised(rows: list[list[object]]) -> bool:
    """Whether rows start with the header of a recognition list (how a CSV's encoding is told)."""
    return find_header(rows) is not None


def import_check(
    *,
    data: bytes,
    file_name: str = "",
    user: User | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> Outcome:
    """Read and plan a file; nothing is written."""
    with _gc_paused():
        return _check(data=data, file_name=file_name, user=user, progress=progress, today=today)


def _check(
    *, data: bytes, file_name: str, user: User | None, progress: Progress | None, today: dt.date | None
) -> Outcome:
    report = progress or _no_progress
    report(2, "Đọc tệp")
    try:
        workbook = read_workbook(data, file_name, recognise=_recognised)
    except FileRefused as exc:
        return Outcome(False, 0, 0, 0, 0, 0, [RowError(0, "", exc.message)])
    scope, default_province = _scope_for(user)
    parser = RowParser(resolver=UnitResolver(), default_province=default_province, scope=scope, today=today)
    parsed = parser.parse_workbook(
        workbook,
        lambda done, total: report(5 + int(60 * done / max(total, 1)), f"Kiểm tra dòng {done}/{total}"),
    )
    if not parsed.sheets:
        return Outcome(False, 0, 0, 0, 0, 0, parsed.errors)
    report(70, "Đối chiếu dữ liệu đã có")
    plan = Planner(parsed, progress=lambda stage: report(75, stage)).build()
    return _outcome(plan)


def _no_progress(percent: int, stage: str) -> None:
    return None


def audit_commune(*, plan: Plan | None, user: User | None) -> int | None:
    """The commune an import's audit rows are filed under: the first commune the file touches (inside the
    importer's scope by construction), else the first commune of the importer's unit."""
    for product in plan.products if plan is not None else ():
        return product.place.id
    unit = user.unit if user is not None else None
    if unit is not None:
        first: int | None = commune_ids_covered_by(unit).order_by("id").values_list("id", flat=True).first()
        return first
    return None


def import_audit(
    *, user: User | None, action: str, record: ImportJob, commune_id: int | None, changes: dict[str, Any]
) -> None:
    """The audit row of an import's step, filed under a commune the file touches: the audit list is scoped
    by commune, so officers see their own imports."""
    log = audit_record(user=user, action=action, instance=record, changes=changes)
    if commune_id is not None:
        AuditLog.objects.filter(pk=log.pk).update(commune_id=commune_id)


def _outcome(plan: Plan, stored: bool = False) -> Outcome:
    return Outcome(
        plan.ok,
        plan.rows,
        len(plan.new_products),
        len(plan.entities),
        len(plan.events),
        plan.skipped,
        plan.errors,
        plan=plan,
        stored=stored,
        warnings=plan.warnings,
    )


def import_apply(
    *,
    data: bytes,
    file_name: str,
    user: User | None = None,
    record: ImportJob | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Outcome:
    """Check a file and, when every row is valid and not ``dry_run``, store it (all or nothing), with its
    audit row on ``record`` (the web's ImportJob; the CLI's import gets one of its own)."""
    report = progress or _no_progress
    outcome = import_check(data=data, file_name=file_name, user=user, progress=report, today=today)
    plan = outcome.plan
    if not outcome.ok or plan is None or dry_run:
        return outcome
    report(90, "Ghi dữ liệu")
    with _gc_paused(), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK])
        if database_snapshot() != plan.snapshot:
            # Someone wrote entities, products or events meanwhile: plan again under the lock.
            outcome = import_check(data=data, file_name=file_name, user=user, today=today)
            plan = outcome.plan
            if not outcome.ok or plan is None:
                return outcome
        write_plan(plan, source=f"Nhập tệp {file_name}")
        outcome.stored = True
        record = record or ImportJob.objects.create(
            user=user if user is not None and user.pk else None,
            file_name=file_name[:255],
            size=len(data),
            rows=outcome.rows,
            status=ImportJob.Status.DONE,
            finished_at=timezone.now(),
            result=stored_result(outcome) | {"source": "cli"},
        )
        import_audit(
            user=user,
            action=AuditLog.Action.CREATE,
            record=record,
            commune_id=audit_commune(plan=plan, user=user),
            changes={
                "tệp": file_name,
                "số dòng": outcome.rows,
                "chủ thể mới": outcome.created_entities,
                "sản phẩm mới": outcome.created_products,
                "sự kiện công nhận": outcome.events,
                "đã có (bỏ qua)": outcome.skipped,
                "cảnh báo": len(outcome.warnings),
            },
        )
    report(100, "Xong")
    return outcome


def _stored_messages(messages: Sequence[RowError]) -> list[dict[str, Any]]:
    """Row messages as an ImportJob keeps them: the report's keys, the cell as read and the sheet (if any)."""
    return [
        {"row": m.row, "column": m.column, "message": m.message, "value": m.value, "sheet": m.sheet}
        for m in messages[:STORED_MESSAGES]
    ]


def stored_result(outcome: Outcome) -> dict[str, Any]:
    """What an ImportJob keeps of a check or an import: counts, errors, warnings, the columns read and the
    first rows (the page's preview)."""
    parsed = outcome.plan.parsed if outcome.plan else None
    result: dict[str, Any] = {
        "ok": outcome.ok,
        "rows": outcome.rows,
        "created_products": outcome.created_products,
        "created_entities": outcome.created_entities,
        "events": outcome.events,
        "skipped": outcome.skipped,
        "error_count": len(outcome.errors),
        "errors": _stored_messages(outcome.errors),
        "warning_count": len(outcome.warnings),
        "warnings": _stored_messages(outcome.warnings),
    }
    if parsed is not None and parsed.sheets:
        first = parsed.sheets[0]
        header = first.header
        result.update(
            {
                "header_row": first.header_row,
                "columns": [[header.labels[name], name] for name in header.columns],
                "ignored": header.ignored,
                "preview": first.preview,
                "sheets": [
                    {"name": sheet.name, "header_row": sheet.header_row, "rows": len(sheet.rows)}
                    for sheet in parsed.sheets
                ],
                "skipped_sheets": [{"name": name, "reason": reason} for name, reason in parsed.skipped],
            }
        )
    return result
