"""Every verification is a scan; scans are written in batches off the request path.

``record`` appends to an in-process buffer; a background thread flushes it every ``FLUSH_SECONDS`` or as
soon as ``FLUSH_SIZE`` scans wait, in one transaction: one ``executemany`` of Scan rows, the stamps'
counters and last places re-computed in order with the same rules as the verify path (signals.py), and
one alert per stamp and kind. The buffer is flushed on process exit (``atexit``, and gunicorn's
``worker_exit`` hook in ``gunicorn_hooks.py``), so a clean shutdown loses nothing; a failed flush puts the
scans back for the next try.

A crash (SIGKILL, the OOM killer) ends the process before any of that runs, so every scan is also appended
to the worker's **spool** before it is answered (``Spool``): one ``write()`` of one line to a file opened
with O_APPEND, a few microseconds. What the kernel has accepted survives the death of the process (not of the
machine: no fsync, which would cost milliseconds per scan). Each flush closes the spool segment it drains
and writes the segment's name (``ScanSpoolSegment``) in the same transaction as its scans, then deletes the
file. A worker holds an exclusive ``flock`` on its own lock file for its whole life; the kernel drops it when
the process dies, which is how another worker, at its start (gunicorn's ``post_worker_init`` and the writer
thread's first round), recognises an orphaned spool and replays it: segments whose name is already in the
database are only deleted, the others are written like any batch. Trade: the spool costs one small write per
scan and a file per flush; a power cut can still lose the last moments, as the database's own
``synchronous=NORMAL`` can.

With ``settings.STAMP_SCANS_SYNC`` (default: under tests) each scan is written before the response.
"""

from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import json
import logging
import os
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from . import signals
from .choices import AlertKind
from .conf import conf
from .models import Scan, ScanSpoolSegment, Stamp, StampAlert

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.5
FLUSH_SIZE = 5_000  # a cap: bigger batches amortise the commit (200 cost ~60 µs more per scan)


@dataclass(slots=True)
class PendingScan:
    stamp_id: int | None
    code: str
    at: dt.datetime
    verdict: str
    province: str = ""
    lat: float | None = None
    lon: float | None = None
    net_hash: str = ""
    ua_hash: str = ""
    # The place shared after the scan of ``at`` was answered: it completes that scan, not a new one.
    amends: bool = False

    @property
    def place(self) -> signals.ScanPlace:
        return signals.ScanPlace(self.at, self.lat, self.lon, self.province)

    @property
    def client(self) -> str:
        return signals.client_of(self.net_hash)

    def line(self) -> bytes:
        fields = [
            self.stamp_id,
            self.code,
            self.at.isoformat(),
            self.verdict,
            self.province,
            self.lat,
            self.lon,
        ]
        fields += [self.net_hash, self.ua_hash, self.amends]
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

    @classmethod
    def from_line(cls, raw: bytes) -> PendingScan | None:
        try:
            stamp_id, code, at, verdict, province, lat, lon, net_hash, ua_hash, amends = json.loads(raw)
            return cls(
                stamp_id, code, dt.datetime.fromisoformat(at), verdict, province, lat, lon, net_hash, ua_hash,
                bool(amends),
            )  # fmt: skip
        except (ValueError, TypeError):
            return None  # a line cut short by a machine crash: nothing else to recover from it


class Spool:
    """This process's append-only record of answered scans not yet in the database (see the module's
    docstring). Files: ``<owner>.lock`` (held with flock while the process lives) and
    ``<owner>.<sequence>.scans`` (segments: one per flush)."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.owner = f"{os.getpid()}-{secrets.token_hex(4)}"
        # Locked under a temporary name, then renamed: no other process ever sees it unlocked.
        temporary = self.dir / f".{self.owner}.lock"
        self._lock_fd = os.open(temporary, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(temporary, self.dir / f"{self.owner}.lock")
        self._sequence = 0
        self._fd: int | None = None
        self._segment = ""

    def append(self, data: bytes) -> None:
        if self._fd is None:
            self._sequence += 1
            self._segment = f"{self.owner}.{self._sequence:08d}.scans"
            self._fd = os.open(self.dir / self._segment, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.write(self._fd, data)

    def rotate(self) -> str:
        """Close the segment being written (its scans are about to be flushed); returns its name or ""."""
        if self._fd is None:
            return ""
        os.close(self._fd)
        self._fd = None
        return self._segment

    def remove(self, names: list[str]) -> None:
        for name in names:
            (self.dir / name).unlink(missing_ok=True)

    def close(self) -> None:
        """A clean exit: everything was flushed, the lock file goes too."""
        self.rotate()
        (self.dir / f"{self.owner}.lock").unlink(missing_ok=True)
        os.close(self._lock_fd)


def replay_orphans(directory: Path, *, own: str = "") -> int:
    """Write the spooled scans of processes that died without flushing them; returns how many."""
    if not directory.is_dir():
        return 0
    replayed = 0
    for lock in sorted(directory.glob("*.lock")):
        owner = lock.name[: -len(".lock")]
        if owner == own or owner.startswith("."):
            continue
        try:
            fd = os.open(lock, os.O_RDWR)
        except FileNotFoundError:
            continue  # replayed by another worker meanwhile
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its process is alive
            if not lock.exists():
                continue  # another worker replayed it and removed the file between our glob and open
            replayed += _replay_owner(directory, owner)
            lock.unlink(missing_ok=True)
        finally:
            os.close(fd)
    return replayed


def _replay_owner(directory: Path, owner: str) -> int:
    segments = sorted(directory.glob(f"{owner}.*.scans"))
    names = [path.name for path in segments]
    done = set(ScanSpoolSegment.objects.filter(name__in=names).values_list("name", flat=True))
    items: list[PendingScan] = []
    for path in segments:
        if path.name in done:
            continue
        with path.open("rb") as fh:
            items += [scan for raw in fh if raw.strip() and (scan := PendingScan.from_line(raw)) is not None]
    todo = [name for name in names if name not in done]
    if todo:
        write_scans(items, segments=todo)
    for path in segments:
        path.unlink(missing_ok=True)
    ScanSpoolSegment.objects.filter(name__in=names).delete()
    if items:
        logger.warning("Đã ghi lại %s lượt quét tem từ tiến trình đã dừng đột ngột (%s).", len(items), owner)
    return len(items)


def _aware(value):
    """Datetimes read with raw SQL: SQLite gives naive UTC values (or text)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        from django.utils.dateparse import parse_datetime

        value = parse_datetime(value)
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


class ScanLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._items: list[PendingScan] = []
        self._pending: dict[int, list[PendingScan]] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._spool: Spool | None = None
        self._unsaved: list[str] = []  # spool segments whose scans are not in the database yet
        self._saved: list[str] = []  # segments written and deleted: their names leave the database next flush

    # -- request side -------------------------------------------------------------------------------------
    def record(self, scan: PendingScan) -> None:
        sync = synchronous()
        with self._lock:
            if not sync:
                self.spool().append(scan.line())  # before the answer: a crash from here on loses nothing
            self._items.append(scan)
            if scan.stamp_id is not None:
                self._pending.setdefault(scan.stamp_id, []).append(scan)
            size = len(self._items)
        if sync:
            self.flush()
            return
        self._ensure_thread()
        if size >= FLUSH_SIZE:
            self._wake.set()

    def pending(self, stamp_id: int) -> list[PendingScan]:
        """Scans of this stamp recorded by this process and not yet written."""
        with self._lock:
            return list(self._pending.get(stamp_id, ()))

    def waiting(self) -> int:
        with self._lock:
            return len(self._items)

    def spool(self) -> Spool:
        """This process's spool (a forked child opens its own)."""
        if self._spool is None or self._spool.owner.split("-")[0] != str(os.getpid()):
            self._spool = Spool(Path(conf().spool_dir))
            self._unsaved, self._saved = [], []
        return self._spool

    def replay(self) -> int:
        """Scans spooled by dead processes go to the database (process start)."""
        own = self._spool.owner if self._spool is not None else ""
        try:
            return replay_orphans(Path(conf().spool_dir), own=own)
        except Exception:  # never keep a worker from starting; the next start tries again
            logger.exception("Không ghi lại được nhật ký quét tem của tiến trình đã dừng.")
            return 0

    # -- writer side --------------------------------------------------------------------------------------
    def _ensure_thread(self) -> None:
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="stamp-scan-log", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        self.replay()
        while not self._stop.is_set():
            # Not shorter on PostgreSQL either: at 0.1 s the per-batch statements (planned each time)
            # cost the server ~40 µs more per scan, for no measurable gain in the latency tail.
            self._wake.wait(FLUSH_SECONDS)
            self._wake.clear()
            try:
                close_old_connections()
                self.flush()
            except Exception:  # keep the writer alive; the scans were put back
                logger.exception("Ghi lượt quét tem thất bại; sẽ thử lại.")

    def shutdown(self) -> None:
        """Stop the writer and write whatever is left (process exit)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            self._thread.join(timeout=5)
        try:
            self.flush()
            if (
                self._spool is not None
                and self._spool.owner.startswith(f"{os.getpid()}-")
                and not self._items
            ):
                if self._saved:
                    ScanSpoolSegment.objects.filter(name__in=self._saved).delete()
                    self._saved = []
                self._spool.close()
                self._spool = None
        finally:
            if not synchronous():
                connection.close()

    def flush(self) -> int:
        """Write every waiting scan; returns how many were written."""
        with self._write_lock:
            with self._lock:
                items, self._items = self._items, []
                if self._spool is not None:
                    segment = self._spool.rotate()
                    if segment:
                        self._unsaved.append(segment)
            if not items:
                return 0
            segments = list(self._unsaved)
            try:
                write_scans(items, segments=segments, forget=self._saved)
            except Exception:
                with self._lock:
                    self._items[:0] = items
                raise
            if self._spool is not None:
                self._spool.remove(segments)
            self._unsaved = self._unsaved[len(segments) :]
            self._saved = segments
            with self._lock:
                for scan in items:
                    if scan.stamp_id is None:
                        continue
                    waiting = self._pending.get(scan.stamp_id)
                    if waiting:
                        waiting.remove(scan)
                        if not waiting:
                            del self._pending[scan.stamp_id]
            return len(items)


def _stamp_states(cursor, ids: list[int]) -> dict[int, tuple[signals.StampState, dict]]:
    table = connection.ops.quote_name(Stamp._meta.db_table)
    batch_table = connection.ops.quote_name(Stamp._meta.get_field("batch").related_model._meta.db_table)
    select = (
        "SELECT s.id, s.status, s.scan_count, s.last_place_at, s.last_lat, s.last_lon, s.last_province, "  # noqa: S608 — quoted names; the scan log flush (scanlog.py docstring)
        f"s.first_scan_at, s.flagged, s.batch_id, b.product_id, s.scan_clients FROM {table} s "
        f"JOIN {batch_table} b ON b.id = s.batch_id "
    )
    if connection.vendor == "postgresql":
        queries = [(f"{select}WHERE s.id = ANY(%b::bigint[]) FOR UPDATE OF s", [ids])]
    else:
        chunks = [ids[start : start + 500] for start in range(0, len(ids), 500)]
        queries = [(f"{select}WHERE s.id IN ({', '.join(['%s'] * len(part))})", part) for part in chunks]
    found: dict[int, tuple[signals.StampState, dict]] = {}
    for sql, params in queries:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            state = signals.StampState.from_row(
                row[1], row[2], _aware(row[3]), row[4], row[5], row[6], row[11]
            )
            extra = {
                "first_scan_at": _aware(row[7]),
                "flagged": bool(row[8]),
                "batch_id": row[9],
                "product_id": row[10],
                "first_place": "",
            }
            found[row[0]] = (state, extra)
    return found


def _place_text(scan: PendingScan) -> str:
    if scan.province:
        return scan.province
    if scan.lat is not None and scan.lon is not None:
        return f"{scan.lat:.2f}, {scan.lon:.2f}"
    return ""


_SCAN_COLUMNS = "stamp_id, code, at, verdict, province, lat, lon, net_hash, ua_hash"
_UPDATE_ONE = (
    "UPDATE {table} SET scan_count = %s, last_place_at = %s, last_lat = %s, last_lon = %s, "
    "last_province = %s, flagged = %s, updated_at = %s, scan_clients = %s, "
    "first_scan_place = CASE WHEN first_scan_at IS NULL THEN %s ELSE first_scan_place END, "
    "first_scan_at = COALESCE(first_scan_at, %s) WHERE id = %s"
)


def _insert_scans(cursor, items: list[PendingScan], stamp_ids, *, copy: bool) -> None:
    """PostgreSQL: one COPY — an INSERT per scan is parsed and planned each time (parameters are bound
    client-side), about ten times the cost of a COPY row.

    ``Scan.stamp`` has no database constraint: a scan names its stamp only when that stamp is among
    ``stamp_ids``, the rows this transaction found and locked (a stamp deleted since the scan was answered
    leaves the scan with its code and no stamp, instead of a dangling id)."""
    if not items:
        return
    ops = connection.ops
    rows = [
        (
            s.stamp_id if s.stamp_id in stamp_ids else None,
            s.code[:40],
            ops.adapt_datetimefield_value(s.at),
            s.verdict,
            s.province[:120],
            s.lat,
            s.lon,
            s.net_hash,
            s.ua_hash,
        )
        for s in items
    ]
    table = ops.quote_name(Scan._meta.db_table)
    if copy:
        with cursor.copy(f"COPY {table} ({_SCAN_COLUMNS}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(row)
        return
    cursor.executemany(f"INSERT INTO {table} ({_SCAN_COLUMNS}) VALUES ({', '.join(['%s'] * 9)})", rows)  # noqa: S608 — quoted names; the scan log flush (scanlog.py docstring)


def _amend_scans(cursor, items: list[PendingScan]) -> None:
    """The place a phone shared after its scan was answered goes onto that scan's row (same stamp and
    time), which stays one scan."""
    if not items:
        return
    ops = connection.ops
    cursor.executemany(
        f"UPDATE {ops.quote_name(Scan._meta.db_table)} SET province = %s, lat = %s, lon = %s "  # noqa: S608 — quoted names; the scan log flush (scanlog.py docstring)
        "WHERE stamp_id = %s AND at = %s",
        [(s.province[:120], s.lat, s.lon, s.stamp_id, ops.adapt_datetimefield_value(s.at)) for s in items],
    )


def _update_stamps_at_once(cursor, rows: list[tuple]) -> None:
    """PostgreSQL: every stamp of the batch in one UPDATE … FROM unnest(arrays) (one statement to parse
    and plan instead of one per stamp); the arrays go in binary (%b), ten times cheaper to build than
    the text form, which escapes every element."""
    columns = list(zip(*rows, strict=True))
    table = connection.ops.quote_name(Stamp._meta.db_table)
    cursor.execute(
        f"UPDATE {table} s SET scan_count = v.scan_count, last_place_at = v.last_place_at, "  # noqa: S608 — quoted names; one UPDATE … FROM VALUES per flush (scanlog.py)
        "last_lat = v.last_lat, last_lon = v.last_lon, last_province = v.last_province, "
        "flagged = v.flagged, updated_at = v.updated_at, scan_clients = v.scan_clients, "
        "first_scan_place = CASE WHEN s.first_scan_at IS NULL THEN v.first_place "
        "ELSE s.first_scan_place END, "
        "first_scan_at = COALESCE(s.first_scan_at, v.first_at) "
        "FROM unnest(%b::integer[], %b::timestamptz[], %b::float8[], %b::float8[], %b::text[], "
        "%b::boolean[], %b::timestamptz[], %b::text[], %b::text[], %b::timestamptz[], %b::bigint[]) "
        "AS v(scan_count, last_place_at, last_lat, last_lon, last_province, flagged, updated_at, "
        "scan_clients, first_place, first_at, id) WHERE s.id = v.id",
        [list(column) for column in columns],
    )


def _cursor():
    """PostgreSQL: a psycopg cursor that binds parameters server-side, in the transaction of Django's
    connection. Django's cursor binds client-side: it would quote every element of the UPDATE's arrays
    in Python, two thirds of a flush's CPU."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def write_scans(
    items: list[PendingScan], *, segments: Sequence[str] = (), forget: Sequence[str] = ()
) -> None:
    """Write the scans in one transaction, with the names of the spool ``segments`` they came from (so a
    replay never writes them twice); ``forget``: names of segments deleted since, no longer needed."""
    ops = connection.ops
    max_clients = conf().max_clients
    now = timezone.now()
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), _cursor() as cursor:
        ids = sorted({s.stamp_id for s in items if s.stamp_id is not None})
        # The stamps are locked (in id order, so two workers' flushes cannot deadlock) before anything
        # is written: their counters are re-computed from what is read here, and the scan rows name
        # only stamps found here.
        states = _stamp_states(cursor, ids) if ids else {}
        if segments:
            ScanSpoolSegment.objects.bulk_create(
                [ScanSpoolSegment(name=name) for name in segments], ignore_conflicts=True
            )
        if forget:
            ScanSpoolSegment.objects.filter(name__in=forget).delete()
        _insert_scans(cursor, [s for s in items if not s.amends], states, copy=postgres)
        _amend_scans(cursor, [s for s in items if s.amends])
        if not states:
            return
        alerts: dict[str, StampAlert] = {}
        for scan in sorted((s for s in items if s.stamp_id in states), key=lambda s: s.at):
            state, extra = states[scan.stamp_id]
            if scan.amends:
                raised = signals.located(state, scan.place, client=scan.client)
                signals.locate(state, scan.place, client=scan.client)
            else:
                raised = signals.evaluate(state, scan.place, client=scan.client, max_clients=max_clients)
                signals.advance(state, scan.place, client=scan.client, max_clients=max_clients)
            if extra["first_scan_at"] is None:
                extra["first_scan_at"] = scan.at
                extra["first_place"] = _place_text(scan)
            if raised:
                extra["flagged"] = True
            for kind, details in raised.items():
                key = f"{kind}:{scan.stamp_id}"
                if key in alerts or key in _alerts_written:
                    continue
                alerts[key] = StampAlert(
                    kind=kind,
                    key=key,
                    stamp_id=scan.stamp_id,
                    batch_id=extra["batch_id"],
                    product_id=extra["product_id"],
                    details={**details, "at": scan.at.isoformat(), "code": scan.code},
                )
        rows = [
            (
                state.scan_count,
                ops.adapt_datetimefield_value(state.last_place_at),
                state.last_lat,
                state.last_lon,
                state.last_province[:120],
                extra["flagged"],
                ops.adapt_datetimefield_value(now),
                signals.format_clients(state),
                extra["first_place"][:120],
                ops.adapt_datetimefield_value(extra["first_scan_at"]),
                pk,
            )
            for pk, (state, extra) in states.items()
        ]
        if postgres:
            _update_stamps_at_once(cursor, rows)
        else:
            cursor.executemany(_UPDATE_ONE.format(table=ops.quote_name(Stamp._meta.db_table)), rows)
        if alerts:
            StampAlert.objects.bulk_create(alerts.values(), ignore_conflicts=True)
            transaction.on_commit(lambda: _remember_alerts(alerts))


# Keys of the alerts this process has written. An alert is one per stamp and kind (its key is unique), but
# once a stamp passes the scan limit every further scan raises it again: without this memo each flush built
# and sent one alert per such scan for the database to ignore — on a copied label scanned thousands of
# times, tens of milliseconds of the GIL per flush, stalling the worker's request threads.
_alerts_written: set[str] = set()
ALERTS_REMEMBERED = 100_000


def _remember_alerts(alerts: dict[str, StampAlert]) -> None:
    if len(_alerts_written) + len(alerts) > ALERTS_REMEMBERED:
        _alerts_written.clear()
    _alerts_written.update(alerts)


def forget_written_alerts() -> None:
    _alerts_written.clear()


def synchronous() -> bool:
    return conf().scans_sync


def probing_alert(net_hash: str, count: int) -> None:
    """One alert per source and day when a source keeps asking for codes that do not exist."""
    day = timezone.localdate()
    StampAlert.objects.bulk_create(
        [
            StampAlert(
                kind=AlertKind.PROBING,
                key=f"{AlertKind.PROBING}:{net_hash}:{day:%Y%m%d}",
                details={"source": net_hash, "unknown_scans": count, "day": day.isoformat()},
            )
        ],
        ignore_conflicts=True,
    )


scan_log = ScanLog()
atexit.register(scan_log.shutdown)
