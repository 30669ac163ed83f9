"""Issuing stamps from the web as a background job (core.jobs): up to 5,000,000 at once, the request returning
at once, progress on the job page and the codes as a ZIP (codes.csv inside) to download when done.

Unlike the console's ``issue.issue_codes`` (one transaction), the job commits chunk by chunk: one
transaction of 5,000,000 rows would hold SQLite's only write lock for a minute — every other save in the app
would wait or fail — and its progress would be invisible to the page (uncommitted). All-or-nothing is kept by
compensation instead: the job first reserves its serial range (batch row locked, first serial chosen and the
first chunk stored in one transaction), remembers it on the Job row, and on any failure — or when a worker
that died is replaced (``core.jobs.jobs_recover``) — deletes what it had stored before anything else. Stamps
stored mid-way are not visible to anyone who could scan them: their codes exist only in the job's file,
written once every chunk is stored. One issuing job per batch at a time (a second is refused).
"""

from __future__ import annotations

import base64
import csv
import io
import os
import queue
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.models import Max
from django.utils import timezone

from ocop.core.audit import audit_record
from ocop.core.errors import ScopeError
from ocop.core.jobs import JobContext, background_job, job_start
from ocop.core.models import AuditLog, Job
from ocop.core.scoping import CHANGE

from . import codes
from .choices import StampStatus
from .issue import CSV_HEADER, MAX_COUNT
from .models import Batch, Stamp

if TYPE_CHECKING:
    from ocop.accounts.models import User

# Stamps stored per transaction, their codes sorted before they are given consecutive serials: the code
# index then grows by runs of neighbouring keys instead of random ones (5,000,000 stamps on SQLite: ~1.5×
# faster than unsorted chunks of 20,000), and the serial order stays the insertion order. Codes stay 100
# random bits each; sorting only orders them within a chunk (neighbours still differ by ~2^82).
CHUNK = 250_000
_TO_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", codes.ALPHABET.encode())
_PLAIN = bytes(codes._VALUE.get(chr(byte), 0) for byte in range(256))
_DOUBLED = bytes(
    codes._DOUBLE[codes._VALUE[chr(byte)]] if chr(byte) in codes._VALUE else 0 for byte in range(256)
)
COLUMNS = (
    "batch_id, serial, code, status, activated_at, created_at, updated_at, first_scan_place, "
    "last_province, scan_count, flagged"
)


def subject_of(batch: Batch) -> str:
    return f"traceability.batch:{batch.pk}"


def amount_text(count: int) -> str:
    return f"{count:,}".replace(",", ".")


@dataclass(frozen=True)
class IssuePlan:
    batch: Batch
    count: int
    active: bool
    first: int  # the serial the stamps will start from, as things stand now

    def lines(self) -> list[str]:
        last = self.first + self.count - 1
        state = (
            "kích hoạt ngay: người mua quét là thấy “tem thật”"
            if self.active
            else "chưa kích hoạt: quét sẽ báo tem chưa dùng cho tới khi bạn kích hoạt"
        )
        return [
            f"Phát hành {amount_text(self.count)} tem cho lô {self.batch.lot} "
            f"của “{self.batch.product.name}”, "
            f"số thứ tự từ {amount_text(self.first)} đến {amount_text(last)}.",
            f"Tem {state}.",
            "Mỗi mã tem là duy nhất và không xoá được sau khi phát hành; tem in thừa phải thu hồi từng mã.",
        ]


def stamps_issue_plan(*, user: User, batch: Batch, count: int, active: bool) -> IssuePlan:
    """What issuing will do, or why not (scope, count, another issuing job of this batch still running)."""
    if user is not None and not Batch.objects.for_user(user, CHANGE).filter(pk=batch.pk).exists():
        raise ScopeError("Lô này nằm ngoài phạm vi của bạn.")
    if not 1 <= count <= MAX_COUNT:
        raise ValidationError(f"Số tem phải từ 1 đến {MAX_COUNT:,}.".replace(",", "."))
    busy = Job.objects.filter(subject=subject_of(batch), status__in=Job.BUSY).first()
    if busy is not None:
        raise ValidationError(f"Lô này đang phát hành tem (việc #{busy.pk}); hãy chờ việc đó xong.")
    first = (Stamp.objects.filter(batch=batch).aggregate(m=Max("serial"))["m"] or 0) + 1
    return IssuePlan(batch, count, active, first)


def stamps_issue_start(*, user: User, batch: Batch, count: int, active: bool, base_url: str) -> Job:
    """Check the request (``stamps_issue_plan``) and start the job."""
    stamps_issue_plan(user=user, batch=batch, count=count, active=active)
    amount = amount_text(count)
    return job_start(
        task=stamps_issue_job,
        user=user,
        title=f"Phát hành {amount} tem — lô {batch.lot} ({batch.product.name})",
        params={"batch_id": batch.pk, "count": count, "active": active, "base_url": base_url},
        subject=subject_of(batch),
        link=batch.get_absolute_url(),
    )


@background_job()
def stamps_issue_job(
    job: JobContext, *, batch_id: int, count: int, active: bool, base_url: str
) -> dict[str, Any]:
    batch = Batch.objects.select_related("product").get(pk=batch_id)
    _undo_earlier_attempt(job, batch)
    with tempfile.TemporaryDirectory(prefix="ocop-stamps-") as folder:
        archive = Path(folder) / "codes.zip"
        first = _issue_into(job, batch, archive, count=count, active=active, base_url=base_url)
        job.progress(98, "Lưu tệp mã tem")
        job.save_file(
            "codes",
            name=f"tem-{batch.lot}-{first}-{first + count - 1}.zip",
            label="Tải danh sách mã (ZIP, CSV)",
            path=archive,
        )
    last = first + count - 1
    audit_record(
        user=job.job.user,
        action=AuditLog.Action.CREATE,
        instance=batch,
        changes={
            "stamps": [None, f"{count} tem số {first}–{last}"],
            "status": [None, StampStatus.ACTIVE if active else StampStatus.ISSUED],
        },
    )
    amount = f"{count:,}".replace(",", ".")
    return {
        "summary": f"Đã phát hành {amount} tem, số {first}–{last}.",
        "first_serial": first,
        "last_serial": last,
        "link": f"{batch.get_absolute_url()}?tu={first}&den={last}#tem",
    }


def _issue_into(
    job: JobContext, batch: Batch, archive: Path, *, count: int, active: bool, base_url: str
) -> int:
    """Store ``count`` stamps chunk by chunk, writing their codes to ``archive``; the first serial. On any
    failure the stamps stored so far are deleted before the error goes on.

    The first chunk (the reservation) is stored here; the others by ``_Writers`` threads while this one
    makes the next codes and writes the file — the database's own work (indexes, PostgreSQL's foreign-key
    checks) then overlaps ours."""
    stamped = timezone.now()
    stored = first = 0
    gtin, lot = batch.product.gtin, batch.lot
    writers = _Writers(job, batch, count=count, stamped=stamped, active=active)
    zipped = zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    try:
        with zipped, zipped.open("codes.csv", "w", force_zip64=count > 1_000_000) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow(CSV_HEADER)
            while stored < count:
                fresh = sorted(fresh_codes(min(CHUNK, count - stored)))
                if stored == 0:
                    first = _reserve_and_store(job, batch, fresh, stamped=stamped, active=active)
                    writers.stored(len(fresh))
                else:
                    writers.put(first + stored, fresh)
                writer.writerows(
                    (first + stored + i, code, base_url + codes.stamp_path(code, gtin=gtin, lot=lot))
                    for i, code in enumerate(fresh)
                )
                stored += len(fresh)
            writers.finish()
            text.flush()
            text.detach()
    except BaseException:
        writers.stop()
        if first:
            _delete_range(batch, first, first + count - 1, stamped)
        raise
    return first


class _Writers:
    """Chunks stored by background threads, each with its own database connection: two on PostgreSQL, one on
    SQLite (one writer at a time there). Inside a transaction (tests) chunks are stored in the caller's
    thread, since another connection would not see the batch. Progress is reported as chunks commit."""

    def __init__(self, job: JobContext, batch: Batch, *, count: int, stamped, active: bool) -> None:
        self.job, self.batch, self.count, self.stamped, self.active = job, batch, count, stamped, active
        self.done = 0
        self.error: BaseException | None = None
        self.lock = threading.Lock()
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        threads = 0 if connection.in_atomic_block else (2 if connection.vendor == "postgresql" else 1)
        self.threads = [threading.Thread(target=self._work, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def stored(self, size: int) -> None:
        with self.lock:
            self.done += size
            done = self.done
            self.job.progress(
                2 + 95 * done // self.count, f"Đã lưu {done:,} / {self.count:,} tem".replace(",", ".")
            )

    def put(self, first: int, fresh: list[str]) -> None:
        if self.error is not None:
            raise self.error
        if not self.threads:
            _store(self.batch, first, fresh, stamped=self.stamped, active=self.active)
            self.stored(len(fresh))
            return
        self.queue.put((first, fresh))

    def _work(self) -> None:
        try:
            while True:
                item = self.queue.get()
                if item is None:
                    return
                if self.error is None:
                    first, fresh = item
                    _store(self.batch, first, fresh, stamped=self.stamped, active=self.active)
                    self.stored(len(fresh))
        except BaseException as exc:
            self.error = exc
            while self.queue.get() is not None:  # drain, so the producer never blocks on a full queue
                pass
        finally:
            connections.close_all()

    def _join(self) -> None:
        for _thread in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()

    def finish(self) -> None:
        self._join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        if self.error is None:
            self.error = RuntimeError("stopped")
        self._join()


def fresh_codes(count: int) -> list[str]:
    """``count`` codes exactly as ``codes.new_codes`` makes them (100 random bits as 20 Crockford characters
    and the Luhn mod 32 check character of ``codes.check_char``), 3–4 times faster, which a 5,000,000-stamp
    job needs: the random bytes are base32-encoded in one call (25 bytes are two codes' 40 characters) and
    each check is two byte translations and two sums instead of a loop over the characters."""
    text = base64.b32encode(os.urandom(25 * ((count + 1) // 2))).translate(_TO_CROCKFORD)
    alphabet = codes.ALPHABET
    out = []
    append = out.append
    for start in range(0, 20 * count, 20):
        body = text[start : start + 20]
        # Luhn from the right: the last character doubled, then every second one.
        total = sum(body.translate(_DOUBLED)[-1::-2]) + sum(body.translate(_PLAIN)[-2::-2])
        append(body.decode() + alphabet[-total % 32])
    return out


def _insert(batch: Batch, first: int, fresh: list[str], *, stamped, active: bool) -> None:
    """One chunk of stamps, serials from ``first``: PostgreSQL's COPY fed one block of text (no per-row
    Python call into the driver), SQLite's executemany."""
    table = connection.ops.quote_name(Stamp._meta.db_table)
    status = StampStatus.ACTIVE if active else StampStatus.ISSUED
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            at = stamped.isoformat()
            activated = at if active else "\\N"
            head, tail = f"{batch.pk}\t", f"\t{status}\t{activated}\t{at}\t{at}\t\t\t0\tf\n"
            text = "".join(f"{head}{first + i}\t{code}{tail}" for i, code in enumerate(fresh))
            with cursor.cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
                copy.write(text)
            return
        at = connection.ops.adapt_datetimefield_value(stamped)
        activated = at if active else None
        placeholders = ", ".join(["%s"] * 11)
        cursor.executemany(
            # The model's table and fixed column list; rows are parameters (a bare executemany).
            f"INSERT INTO {table} ({COLUMNS}) VALUES ({placeholders})",  # noqa: S608
            [
                (batch.pk, first + i, code, status, activated, at, at, "", "", 0, False)
                for i, code in enumerate(fresh)
            ],
        )


def _reserve_and_store(job: JobContext, batch: Batch, fresh: list[str], *, stamped, active: bool) -> int:
    """Lock the batch, take the serials after its last one and store the first chunk, in one transaction;
    the range is remembered on the Job row in the same transaction."""
    with transaction.atomic():
        Batch.objects.select_for_update().filter(pk=batch.pk).first()
        first = (Stamp.objects.filter(batch=batch).aggregate(m=Max("serial"))["m"] or 0) + 1
        _insert(batch, first, fresh, stamped=stamped, active=active)
        reserved = {"reserved": {"first": first, "stamped": stamped.isoformat()}}
        Job.objects.filter(pk=job.job.pk).update(result=reserved)
    return first


def _store(batch: Batch, first: int, fresh: list[str], *, stamped, active: bool) -> None:
    with transaction.atomic():
        _insert(batch, first, fresh, stamped=stamped, active=active)


def _delete_range(batch: Batch, first: int, last: int, stamped) -> None:
    """Raw DELETE: the stamps of an unfinished run have no scans or alerts yet (nobody has their codes), so
    the ORM's cascade collection — millions of ids in memory — has nothing to do."""
    table = connection.ops.quote_name(Stamp._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(stamped)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE batch_id = %s AND serial >= %s AND serial <= %s AND created_at = %s",  # noqa: S608 — the model's table name
            [batch.pk, first, last, at],
        )


def _undo_earlier_attempt(job: JobContext, batch: Batch) -> None:
    """A run of this job that died mid-way left a reserved range: delete what it stored."""
    import datetime as dt

    reserved = (Job.objects.values_list("result", flat=True).get(pk=job.job.pk) or {}).get("reserved")
    if not reserved:
        return
    first = reserved["first"]
    stamped = dt.datetime.fromisoformat(reserved["stamped"])
    _delete_range(batch, first, first + job.params["count"] - 1, stamped)
    Job.objects.filter(pk=job.job.pk).update(result={})
