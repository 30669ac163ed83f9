"""E-stamps and their scans on the national data (`ocop demo-data --scale national --stamps N --scans M`):
batches of 1,000 active stamps on listed products and genuine scans spread over the last 60 days, written
with ``ocop.core.bulk.BulkInsert``."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ocop.core.bulk import BulkInsert

from .national import DEFAULT_SEED

STAMPS_PER_BATCH = 1_000
SCAN_CHUNK = 50_000


@dataclass
class StampsResult:
    batches: int = 0
    stamps: int = 0
    scans: int = 0


def generate_stamps(*, stamps: int, scans: int, seed: int = DEFAULT_SEED) -> StampsResult:
    """Batches of 1,000 active stamps on recognised products (the traceability app's bulk issuance), issued
    60 days ago, and ``scans`` genuine scans spread over them in the last 60 days (raw inserts), with each
    stamp's scan count and first scan written back. Codes are random (they are security tokens); the
    choice of products, the spread and times of the scans follow ``seed``."""
    from ocop.portal.models import PortalListing
    from ocop.traceability.issue import issue_codes, site_url
    from ocop.traceability.models import Batch, Scan, Stamp

    rng = random.Random(seed + 1)
    listed = list(PortalListing.objects.order_by("pk").values_list("pk", "province_name"))
    if not listed:
        raise ValueError("Chưa có sản phẩm được công nhận để phát hành tem.")
    now = timezone.now()
    issued_at = now - dt.timedelta(days=60)
    result = StampsResult()
    place: dict[int, str] = {}
    with transaction.atomic():
        count = -(-stamps // STAMPS_PER_BATCH)
        chosen = [listed[rng.randrange(len(listed))] for _ in range(count)]
        batches = Batch.objects.bulk_create(
            Batch(
                product_id=product_id,
                lot=f"QG{index:06d}",
                production_date=issued_at.date(),
                quantity=STAMPS_PER_BATCH,
            )
            for index, (product_id, _province) in enumerate(chosen)
        )
        base = site_url()
        left = stamps
        for batch, (_product_id, province) in zip(
            Batch.objects.filter(pk__in=[b.pk for b in batches]).select_related("product").order_by("pk"),
            chosen,
            strict=True,
        ):
            issue_codes(batch=batch, count=min(STAMPS_PER_BATCH, left), active=True, base_url=base)
            left -= STAMPS_PER_BATCH
            place[batch.pk] = province
        result.batches, result.stamps = len(batches), stamps
        Stamp.objects.filter(batch_id__in=list(place)).update(created_at=issued_at, activated_at=issued_at)
    # Scans: scans ÷ stamps per stamp (the remainder spread at random), at one of 10,000 moments.
    ops = connection.ops
    moments = [
        ops.adapt_datetimefield_value(moment)
        for moment in sorted(
            issued_at + dt.timedelta(seconds=rng.randrange(60 * 86400)) for _ in range(10_000)
        )
    ]
    base, extra = divmod(scans, max(1, stamps))
    extra_share = extra / max(1, stamps)
    table = BulkInsert(
        Scan, ["stamp_id", "code", "at", "verdict", "province", "net_hash", "ua_hash"], now=now
    )
    hashes = [f"{rng.getrandbits(64):016x}" for _ in range(5_000)]
    left = scans
    last_id = 0
    with transaction.atomic():
        while left > 0:
            chunk = list(
                Stamp.objects.filter(batch_id__in=list(place), pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", "code", "batch_id")[:10_000]
            )
            if not chunk:
                break
            last_id = chunk[-1][0]
            rows, updates = [], []
            for pk, code, batch_id in chunk:
                k = min(left, base + (rng.random() < extra_share))
                if not k:
                    continue
                left -= k
                times = sorted(rng.randrange(10_000) for _ in range(k))
                province = place[batch_id]
                for t in times:
                    rows.append(
                        (pk, code, moments[t], "genuine", province, rng.choice(hashes), rng.choice(hashes))
                    )
                updates.append((k, moments[times[0]], province, pk))
                if len(rows) >= SCAN_CHUNK:
                    table.insert(rows)
                    result.scans += len(rows)
                    rows = []
            table.insert(rows)
            with connection.cursor() as cursor:
                stamp_table = ops.quote_name(Stamp._meta.db_table)
                cursor.executemany(
                    # The model's quoted table name; every value a parameter (demo scans for the benchmarks).
                    f"UPDATE {stamp_table} SET scan_count = %s, first_scan_at = %s, first_scan_place = %s "  # noqa: S608
                    "WHERE id = %s",
                    updates,
                )
            result.scans += len(rows)
    return result
