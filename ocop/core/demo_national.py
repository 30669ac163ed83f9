"""National-scale synthetic data (`ocop demo-data --scale national`, issue 9): entities, products and their
recognition histories across all 34 provinces of the 2025 map, deterministic for a given seed.

Realism rules:
- Names are built from Vietnamese syllable lists and the 148/2023 product sets (gạo → set 3, chè → set 11…).
- Every entity sits in a commune of its province. Records whose first decision predates the reform
  (2025-07-01) are registered under a legacy commune whose default successor lies in that province (as the
  real data was), later ones under the 2025 commune itself.
- Each product has 1–4 decisions: a new recognition, then renewals/upgrades about every 36 months or a
  revocation while in force; every line is checked with ``certification.history.check_line`` and the
  certificates follow ``certification.services._desired_certificates`` — the same rules as the services.
- Writes use the importer's raw ``executemany`` path (``ocop.imports.store._Table``): no model is instantiated
  per row, so 10,000 entities and 20,000 products with histories take ~10 s on SQLite
  (target: under 3 minutes).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from ocop.certification.choices import EventKind, IssuingLevel
from ocop.certification.history import BANDS, Line, check_line
from ocop.certification.models import Certificate, RecognitionEvent
from ocop.certification.validity import valid_until
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.geography.resolver import REFORM_DATE
from ocop.producers.choices import EntityType
from ocop.producers.models import Entity
from ocop.products.models import Product, ProductSet

FIRST_DAY = dt.date(2019, 3, 1)
# A fixed horizon (not "today") keeps the data identical from one run to the next.
LAST_DAY = dt.date(2026, 10, 31)
DEFAULT_SEED = 2026

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Hữu", "Quang", "Thu", "Kim"]
GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh", "Lan",
    "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
]  # fmt: skip
BRAND = [
    "An Phú", "Bảo Lộc", "Bình Minh", "Đại Dương", "Đồng Xanh", "Hoa Sen", "Hồng Hà", "Hưng Thịnh",
    "Kim Ngân", "Lam Sơn", "Minh Châu", "Nam Việt", "Ngọc Lan", "Phú Quý", "Phúc Lộc", "Quê Hương",
    "Sao Mai", "Tân Tiến", "Thành Công", "Thiên Phú", "Trường Xuân", "Việt Hưng", "Xuân Mai", "Yên Bình",
]  # fmt: skip
ENTITY_KINDS = [
    (EntityType.HTX, "HTX", 40),
    (EntityType.DOANH_NGHIEP, "Công ty TNHH", 25),
    (EntityType.TO_HOP_TAC, "Tổ hợp tác", 5),
    (EntityType.HO_KINH_DOANH, "Hộ kinh doanh", 30),
]
# (product noun, product set number of the 148/2023 classification)
PRODUCTS = [
    ("Gạo", 3), ("Gạo nếp", 3), ("Gạo lứt", 3), ("Mật ong", 4), ("Miến dong", 6), ("Bún khô", 6),
    ("Bánh đa", 6), ("Bánh chưng", 6), ("Măng khô", 7), ("Nấm hương", 7), ("Chuối sấy", 7), ("Mít sấy", 7),
    ("Giò bò", 8), ("Lạp sườn", 8), ("Chả cá", 8), ("Nước mắm", 9), ("Chè búp", 11), ("Chè Shan tuyết", 11),
    ("Trà hoa vàng", 12), ("Trà túi lọc", 12), ("Rượu ngô", 14), ("Rượu nếp", 14), ("Tinh bột nghệ", 18),
    ("Tinh dầu quế", 20), ("Tinh dầu sả", 20), ("Cam", 1), ("Bưởi", 1), ("Vải thiều", 1), ("Nhãn lồng", 1),
    ("Cà phê", 10), ("Hạt điều", 2), ("Mắm tôm", 9), ("Chổi đót", 23), ("Homestay", 26),
]  # fmt: skip
STARS = [(3, 66), (4, 29), (5, 5)]


@dataclass
class NationalResult:
    provinces: int = 0
    entities: int = 0
    products: int = 0
    events: int = 0
    certificates: int = 0
    listed: int = 0
    by_province: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _GenEvent:
    """What ``_desired_certificates`` reads of an event (pk filled in once stored)."""

    pk: int
    product_id: int
    kind: str
    stars: int | None
    decision_date: dt.date
    decision_number: str


def _weighted(rng: random.Random, options):
    return rng.choices([o[:-1] if len(o) > 2 else o[0] for o in options], weights=[o[-1] for o in options])[0]


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


def _score(rng: random.Random, stars: int) -> Decimal:
    low, high = BANDS[stars]
    return Decimal(rng.randrange(low * 100, high * 100 if stars < 5 else high * 100 + 1)) / 100


def _places() -> tuple[list[AdminUnit], dict[int, list[int]], dict[int, list[int]]]:
    """2025 provinces, their communes' ids, and per 2025 commune the legacy communes it succeeds."""
    provinces = list(
        AdminUnit.objects.filter(level=Level.PROVINCE, generation=Generation.REFORM_2025).order_by("code")
    )
    communes: dict[int, list[int]] = defaultdict(list)
    for pk, province_id in (
        AdminUnit.objects.filter(level=Level.COMMUNE, generation=Generation.REFORM_2025)
        .order_by("code")
        .values_list("id", "province_id")
    ):
        communes[province_id].append(pk)
    legacy: dict[int, list[int]] = defaultdict(list)
    for pk, successor_id in (
        AdminUnit.objects.filter(level=Level.COMMUNE, generation=Generation.LEGACY, successor__isnull=False)
        .order_by("code")
        .values_list("id", "successor_id")
    ):
        legacy[successor_id].append(pk)
    return [p for p in provinces if communes.get(p.pk)], communes, legacy


def _history(rng: random.Random, first: dt.date) -> list[tuple[str, int | None, dt.date]]:
    """1–4 decisions of one product, consistent with SPEC §2/§3 (checked by the caller)."""
    wanted = rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0]
    stars = _weighted(rng, STARS)
    lines = [(EventKind.NEW, stars, first)]
    day = first
    while len(lines) < wanted:
        if rng.random() < 0.08:
            revoked = _day_between(rng, day + dt.timedelta(days=60), valid_until(day) - dt.timedelta(days=1))
            if revoked > LAST_DAY:
                break
            lines.append((EventKind.REVOCATION, None, revoked))
            break
        day = valid_until(day) - dt.timedelta(days=rng.randrange(10, 90))
        if day > LAST_DAY:
            break
        if stars < 5 and rng.random() < 0.3:
            stars += 1
            lines.append((EventKind.UPGRADE, stars, day))
        else:
            lines.append((EventKind.RENEWAL, stars, day))
    return lines


@transaction.atomic
def generate_national(*, products: int = 20_000, entities: int | None = None, seed: int = DEFAULT_SEED):
    """Write ``products`` products (and ``entities``, default half as many) with histories; returns counts.

    Refuses to run on a database that already holds products: the data is meant to be the whole country.
    """
    from ocop.imports.store import _dates, _Table, entity_keys, product_keys
    from ocop.portal.services import listing_rebuild

    if Product.objects.exists():
        raise ValueError("CSDL đã có sản phẩm: dữ liệu quy mô quốc gia chỉ nạp vào CSDL trống (`ocop init`).")
    rng = random.Random(seed)
    entities = entities or max(1, products // 2)
    provinces, communes, legacy = _places()
    if not provinces:
        raise ValueError("Chưa có dữ liệu đơn vị hành chính: hãy chạy `ocop init` trước.")
    units = {
        u.pk: u
        for u in AdminUnit.objects.filter(level=Level.COMMUNE).select_related(
            "parent", "province", "successor__province"
        )
        if u.pk in communes.get(u.province_id, ()) or u.successor_id in legacy
    }
    sets = {
        s.number: s
        for s in ProductSet.objects.filter(group__classification__is_current=True).select_related("group")
    }
    weights = [len(communes[p.pk]) for p in provinces]
    now = timezone.now()
    result = NationalResult(provinces=len(provinces))

    # Entities: a province weighted by its number of communes, one of its communes, a founding day.
    entity_rows, entity_info = [], []
    # The first entity is in legacy Bắc Kạn (now Thái Nguyên), where the demo accounts work.
    bac_kan = sorted(pk for pk, u in units.items() if u.is_legacy and u.province.code == "06")
    for index in range(entities):
        province = rng.choices(provinces, weights=weights)[0]
        new_commune = rng.choice(communes[province.pk])
        first = _day_between(rng, FIRST_DAY, LAST_DAY - dt.timedelta(days=30))
        commune = new_commune
        if index == 0 and bac_kan:
            commune = rng.choice(bac_kan)
            new_commune, first = units[commune].successor_id, _day_between(rng, FIRST_DAY, REFORM_DATE)
        elif first < REFORM_DATE and legacy.get(new_commune):
            commune = rng.choice(legacy[new_commune])
        kind, prefix = _weighted(rng, ENTITY_KINDS)
        if kind == EntityType.HO_KINH_DOANH:
            name = f"{prefix} {rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        else:
            name = f"{prefix} {rng.choice(BRAND)} {units[new_commune].short_name}"
        tax_code = f"{9_000_000_000 + index}" if kind != EntityType.HO_KINH_DOANH else ""
        entity_rows.append((name, kind, tax_code, commune, *entity_keys(name, tax_code)))
        entity_info.append((name, new_commune, first))
    table = _Table(Entity, ["name", "entity_type", "tax_code", "commune_id", "name_key", "search_key"], now)
    with connection.cursor() as cursor:
        entity_ids = table.insert(cursor, entity_rows, ids=True)
    result.entities = len(entity_ids)

    # Products: each of an entity (the first `entities` products give every entity one), 1–4 decisions.
    place_names: dict[int, list[str]] = {}
    product_rows, histories = [], []
    numbers: dict[tuple[int, int], int] = defaultdict(int)
    for index in range(products):
        owner = index if index < entities else rng.randrange(entities)
        entity_name, new_commune, founded = entity_info[owner]
        first = founded if index < entities else _day_between(rng, founded, LAST_DAY)
        # Registered before the reform: under the entity's legacy commune; after it, under the 2025 one.
        commune_id = entity_rows[owner][3] if first < REFORM_DATE else new_commune
        commune = units[commune_id]
        noun, set_number = rng.choice(PRODUCTS)
        product_set = sets.get(set_number)
        name = (
            f"{noun} {rng.choice(BRAND)}" if rng.random() < 0.6 else f"{noun} {units[new_commune].short_name}"
        )
        places = place_names.get(commune_id)
        if places is None:
            places = [commune.name, commune.parent.name if commune.parent_id else ""]
            if commune.province_id:
                places.append(commune.province.name)
            if commune.successor_id and commune.successor_id != commune.pk:
                places += [commune.successor.name, commune.successor.province.name]
            place_names[commune_id] = places
        name_key, search_key = product_keys(name, entity_name, places)
        product_rows.append(
            (
                name,
                entity_ids[owner],
                commune_id,
                product_set.pk if product_set else None,
                product_set.group.code if product_set else "",
                name_key,
                search_key,
            )
        )
        province_code = units[new_commune].province.code
        lines = []
        for kind, stars, day in _history(rng, first):
            line = Line(kind, stars, day, len(lines))
            problem = check_line(lines, line)
            if problem:  # pragma: no cover — the generator's rules are the services' rules
                raise AssertionError(f"{name}: {problem}")
            lines.append(line)
        decisions = []
        for line in lines:
            numbers[(int(province_code), line.date.year)] += 1
            number = f"{numbers[(int(province_code), line.date.year)]}/QĐ-UBND-{province_code}"
            decisions.append((line, number))
        histories.append(decisions)
        result.by_province[province_code] = result.by_province.get(province_code, 0) + 1
    columns = ["name", "entity_id", "commune_id", "product_set_id", "group_code", "name_key", "search_key"]
    table = _Table(Product, columns, now)
    with connection.cursor() as cursor:
        product_ids = table.insert(cursor, product_rows, ids=True)
    result.products = len(product_ids)

    # Events, then certificates worked out in memory from the events (as the importer does).
    date = _dates()
    event_rows, pending = [], []
    for product_id, decisions in zip(product_ids, histories, strict=True):
        for line, number in decisions:
            revocation = line.kind == EventKind.REVOCATION
            score = None if revocation else _score(rng, line.stars)
            event_rows.append(
                (
                    product_id,
                    line.kind,
                    line.stars,
                    None if score is None else connection.ops.adapt_decimalfield_value(score, 5, 2),
                    number,
                    date(line.date),
                    IssuingLevel.PROVINCE,
                    "Dữ liệu mẫu quy mô quốc gia (tổng hợp)",
                    "Vi phạm cam kết chất lượng sản phẩm" if revocation else "",
                )
            )
            pending.append(_GenEvent(0, product_id, line.kind, line.stars, line.date, number))
    columns = [
        "product_id", "kind", "stars", "score", "decision_number", "decision_date", "issuing_level", "source",
        "reason",
    ]  # fmt: skip
    table = _Table(RecognitionEvent, columns, now)
    with connection.cursor() as cursor:
        for event, pk in zip(pending, table.insert(cursor, event_rows, ids=True), strict=True):
            event.pk = pk
    result.events = len(pending)
    result.certificates = _write_certificates(pending, now)
    result.listed = listing_rebuild()
    return result


def _write_certificates(events: list[_GenEvent], now) -> int:
    from ocop.certification.services import _desired_certificates
    from ocop.imports.store import _dates, _Table

    by_product: dict[int, list[_GenEvent]] = defaultdict(list)
    for event in events:
        by_product[event.product_id].append(event)
    date = _dates()
    rows = []
    for product_events in by_product.values():
        for event_id, values in _desired_certificates(product_events).items():
            rows.append(
                (
                    event_id,
                    values["product_id"],
                    values["stars"],
                    values["number"],
                    date(values["valid_from"]),
                    date(values["valid_to"]),
                    date(values["ended_on"]),
                    values["end_reason"],
                )
            )
    columns = [
        "event_id",
        "product_id",
        "stars",
        "number",
        "valid_from",
        "valid_to",
        "ended_on",
        "end_reason",
    ]
    table = _Table(Certificate, columns, now)
    with connection.cursor() as cursor:
        table.insert(cursor, rows)
    return len(rows)


# -- e-stamps and their scans (ocop.traceability) ----------------------------------------------------
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
    from ocop.imports.store import _Table
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
    table = _Table(Scan, ["stamp_id", "code", "at", "verdict", "province", "net_hash", "ua_hash"], now)
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
                    with connection.cursor() as cursor:
                        table.insert(cursor, rows)
                    result.scans += len(rows)
                    rows = []
            with connection.cursor() as cursor:
                table.insert(cursor, rows)
                stamp_table = ops.quote_name(Stamp._meta.db_table)
                cursor.executemany(
                    f"UPDATE {stamp_table} SET scan_count = %s, first_scan_at = %s, first_scan_place = %s "
                    "WHERE id = %s",
                    updates,
                )
            result.scans += len(rows)
    return result
