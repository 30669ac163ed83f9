"""Bulk issuance: N stamps of a batch written with raw ``executemany`` (PostgreSQL: ``COPY``) in chunks, the
codes streamed to a CSV as they are stored, so a million codes need neither a million model instances nor
the whole list in memory."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from . import codes
from .choices import StampStatus
from .models import Batch, Stamp

CHUNK = 10_000
MAX_COUNT = 5_000_000
CSV_HEADER = ["serial", "code", "url"]


@dataclass(slots=True)
class Issued:
    first_serial: int
    last_serial: int

    @property
    def count(self) -> int:
        return self.last_serial - self.first_serial + 1


def site_url() -> str:
    """Absolute origin printed in the QR codes (``OCOP_SITE_URL``)."""
    url = getattr(settings, "OCOP_SITE_URL", "") or os.environ.get("OCOP_SITE_URL", "http://localhost:8000")
    return url.rstrip("/")


def stamp_url(base: str, code: str, batch: Batch) -> str:
    return base + codes.stamp_path(code, gtin=batch.product.gtin, lot=batch.lot)


def issue_codes(
    *, batch: Batch, count: int, active: bool, base_url: str, csv_out: TextIO | None = None
) -> Issued:
    """Issue ``count`` new stamps after the batch's last serial, in one transaction."""
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"Số tem phải từ 1 đến {MAX_COUNT:,}.".replace(",", "."))
    now = timezone.now()
    ops = connection.ops
    status = StampStatus.ACTIVE if active else StampStatus.ISSUED
    writer = csv.writer(csv_out) if csv_out is not None else None
    if writer is not None:
        writer.writerow(CSV_HEADER)
    gtin, lot = batch.product.gtin, batch.lot
    columns = (
        "batch_id, serial, code, status, activated_at, created_at, updated_at, first_scan_place, "
        "last_province, scan_count, flagged"
    )
    stamped = ops.adapt_datetimefield_value(now)
    activated = stamped if active else None
    table = ops.quote_name(Stamp._meta.db_table)
    placeholders = ", ".join(["%s"] * 11)
    with transaction.atomic():
        Batch.objects.select_for_update().filter(pk=batch.pk).first()
        first = (Stamp.objects.filter(batch=batch).aggregate(m=Max("serial"))["m"] or 0) + 1
        serial = first
        with connection.cursor() as cursor:
            for size in _chunks(count):
                batch_codes = codes.new_codes(size)
                rows = [
                    (batch.pk, serial + i, code, status, activated, stamped, stamped, "", "", 0, False)
                    for i, code in enumerate(batch_codes)
                ]
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608 — quoted names; 1,000,000 stamps in < 60 s (benchmarks.md)
                if writer is not None:
                    writer.writerows(
                        (serial + i, code, base_url + codes.stamp_path(code, gtin=gtin, lot=lot))
                        for i, code in enumerate(batch_codes)
                    )
                serial += size
    return Issued(first, serial - 1)


def _chunks(count: int) -> Iterator[int]:
    while count > 0:
        size = min(CHUNK, count)
        yield size
        count -= size
