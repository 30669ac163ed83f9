"""Benchmark of `ocop stats` on 20,000 products (issue 4: must answer in under 0.5 s).

    .venv/bin/python scripts/bench_stats.py [--products 20000] [--keep]

Builds a temporary SQLite database (migrations + administrative units), bulk-creates entities, products
spread over the legacy Bắc Kạn / Thái Nguyên communes and the 2025 Thái Nguyên communes, and 1–4 events
per product (new, upgrades, renewals, revocations) from 2019 to 2026; then times
* the statistics in process (``unit_stats``: two queries + Python), best and median of several runs;
* the whole command as a user runs it (`ocop stats … --json` in a fresh process, Django start-up included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and print its path")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ocop-bench-stats-"))
    db_path = workdir / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_admin_units", verbosity=0)
    call_command("load_product_classifications", verbosity=0)
    print(f"database ready in {time.perf_counter() - t0:.1f} s: {db_path}")

    t0 = time.perf_counter()
    n_events = generate(args.products)
    print(f"generated {args.products} products, {n_events} events in {time.perf_counter() - t0:.1f} s")

    from ocop.geography.resolver import UnitResolver
    from ocop.targets.selectors import unit_stats

    province = UnitResolver().resolve_province("Thái Nguyên", generation="2025")
    as_of = dt.date(2026, 1, 1)
    timings = []
    result = None
    for _ in range(7):
        t0 = time.perf_counter()
        result = unit_stats(province, as_of)
        timings.append(time.perf_counter() - t0)
    print(
        f"in process unit_stats: best {min(timings) * 1000:.0f} ms, "
        f"median {statistics.median(timings) * 1000:.0f} ms"
    )
    print(
        f"  recognized_total={result['recognized_total']} by_star={result['by_star']} "
        f"communes_with_products={result['communes_with_products']}/{result['communes_total']}"
    )

    command = [
        str(ROOT / ".venv/bin/ocop"),
        "stats",
        "--province",
        "Thái Nguyên",
        "--as-of",
        as_of.isoformat(),
        "--json",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.prod"}
    walls = []
    for _ in range(5):
        t0 = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        walls.append(time.perf_counter() - t0)
        if done.returncode:
            print(done.stderr)
            break
    print(
        f"`ocop stats` as a process (start-up included): best {min(walls) * 1000:.0f} ms, "
        f"median {statistics.median(walls) * 1000:.0f} ms"
    )
    compute = statistics.median(timings) * 1000
    wall = statistics.median(walls) * 1000
    print(f"BENCH sqlite stats unit_stats in process ({args.products} products) median: {compute:.0f} ms")
    verdict = "PASS" if wall < 500 else "FAIL"
    print(
        f"BENCH sqlite `ocop stats` as a process ({args.products} products) median: {wall:.0f} ms"
        f"   [target < 500 ms] {verdict}"
    )
    if not args.keep:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


def generate(count: int) -> int:
    from ocop.certification.models import RecognitionEvent
    from ocop.geography.models import AdminUnit
    from ocop.producers.models import Entity
    from ocop.products.models import Product

    rng = random.Random(20250701)
    legacy = list(
        AdminUnit.objects.filter(
            level="commune", generation="2019", province__code__in=["06", "19"]
        ).values_list("id", flat=True)
    )
    reform = list(
        AdminUnit.objects.filter(level="commune", generation="2025", province__code="19").values_list(
            "id", flat=True
        )
    )
    types = ["htx", "doanh_nghiep", "to_hop_tac", "ho_kinh_doanh"]
    entities = [
        Entity(name=f"Chủ thể {i}", entity_type=rng.choice(types), commune_id=rng.choice(legacy))
        for i in range(count // 2)
    ]
    Entity.objects.bulk_create(entities, batch_size=2000)
    entity_ids = list(Entity.objects.values_list("id", "commune_id"))
    products = []
    for i in range(count):
        entity_id, commune_id = rng.choice(entity_ids)
        if rng.random() < 0.15:
            commune_id = rng.choice(reform)
        products.append(
            Product(
                name=f"Sản phẩm {i}",
                name_key=f"san pham {i}",
                search_key=f"san pham {i}",
                entity_id=entity_id,
                commune_id=commune_id,
                group_code=rng.choice(["I", "II", "III", "IV", "V", "VI"]),
            )
        )
    Product.objects.bulk_create(products, batch_size=2000)
    events = []
    for product_id in Product.objects.values_list("id", flat=True):
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 2000))
        stars = rng.choice([3, 3, 3, 4, 4, 5])
        events.append(
            RecognitionEvent(
                product_id=product_id,
                kind="new",
                stars=stars,
                decision_date=day,
                decision_number=f"{product_id}/QĐ",
            )
        )
        for step in range(rng.randrange(0, 4)):
            day += dt.timedelta(days=rng.randrange(200, 1200))
            roll = rng.random()
            if roll < 0.1:
                events.append(
                    RecognitionEvent(
                        product_id=product_id,
                        kind="revoked",
                        stars=None,
                        decision_date=day,
                        decision_number=f"{product_id}-{step}/TH",
                    )
                )
                break
            if roll < 0.4 and stars < 5:
                stars += 1
                kind = "upgraded"
            else:
                kind = "renewed"
            events.append(
                RecognitionEvent(
                    product_id=product_id,
                    kind=kind,
                    stars=stars,
                    decision_date=day,
                    decision_number=f"{product_id}-{step}/QĐ",
                )
            )
    RecognitionEvent.objects.bulk_create(events, batch_size=5000)
    return len(events)


if __name__ == "__main__":
    main()
