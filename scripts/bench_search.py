"""Benchmark of the public product search (issue 6: p95 under 50 ms server time on 20,000 products).

    .venv/bin/python scripts/bench_search.py [--products 20000] [--postgres] [--runs 40] [--keep]

Builds a temporary database (SQLite by default; with --postgres a throwaway PostgreSQL 15 cluster from
scripts/pg_cluster.py, with pg_trgm), loads the administrative units, bulk-creates entities and products
(deterministic: fixed seed) over the communes of several provinces of both generations, one or two
recognition events per product (some expired, some revoked) written through certificates_sync — which
also fills the portal listing — then times `GET /api/v1/products` in process (Django test client: URL
routing, validation, queries and JSON; no network) for a handful of queries and prints p50/p95.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    {"q": "mien dong"},
    {"q": "MIẾN DONG"},
    {"q": "dong thang"},
    {"q": "chè shan tuyết"},
    {"q": "thai nguyen"},
    {"q": "mien dogn"},  # typo
    {"q": "shan tuyte dong thnag"},  # typos → fuzzy pass
    {"q": "mat ong", "stars": 4},
    {"province": "Bắc Kạn"},
    {"group": "I", "page": 3},
    {},
    {"q": "gao", "include_expired": 1},
]
PRODUCT_WORDS = [
    "Miến dong",
    "Chè Shan tuyết",
    "Mật ong bạc hà",
    "Gạo nếp cái hoa vàng",
    "Rượu men lá",
    "Bánh gai",
    "Măng khô",
    "Tương nếp",
    "Trà hoa vàng",
    "Cam sành",
    "Bưởi Diễn",
    "Nước mắm",
    "Hồng không hạt",
    "Thịt trâu gác bếp",
    "Nấm hương",
    "Tinh bột nghệ",
    "Dầu lạc",
    "Chổi đót",
    "Du lịch cộng đồng bản",
    "Vịt bầu",
]
PROVINCES = [("06", "2019"), ("19", "2019"), ("19", "2025"), ("42", "2025"), ("01", "2025"), ("40", "2019")]


def setup_database(use_postgres: bool, stack: contextlib.ExitStack) -> str:
    if use_postgres:
        sys.path.insert(0, str(ROOT / "scripts"))
        from pg_cluster import TempPostgres

        pg = stack.enter_context(TempPostgres())
        os.environ["DATABASE_URL"] = pg.url
        return pg.url
    workdir = Path(tempfile.mkdtemp(prefix="ocop-bench-search-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    return os.environ["DATABASE_URL"]


def generate(n_products: int) -> None:
    from django.db import transaction

    from ocop.certification.choices import EventKind
    from ocop.certification.models import RecognitionEvent
    from ocop.certification.services.certificates import certificates_sync
    from ocop.geography.models import AdminUnit
    from ocop.producers.models import Entity
    from ocop.products.models import Product, ProductSet

    rng = random.Random(20250701)
    communes = []
    for code, generation in PROVINCES:
        province = AdminUnit.objects.get(level="province", code=code, generation=generation)
        communes += list(
            AdminUnit.objects.filter(level="commune", province=province).select_related(
                "parent", "province", "successor", "successor__province"
            )
        )
    sets = list(ProductSet.objects.filter(group__classification__is_current=True).select_related("group"))
    today = dt.date.today()
    with transaction.atomic():
        entities = []
        for i in range(n_products // 4):
            commune = rng.choice(communes)
            entity = Entity(
                name=f"HTX {rng.choice(PRODUCT_WORDS)} {commune.short_name or commune.name} {i}",
                entity_type="htx",
                commune=commune,
            )
            entity.refresh_keys()
            entities.append(entity)
        Entity.objects.bulk_create(entities, batch_size=1000)
        products = []
        for i in range(n_products):
            entity = rng.choice(entities)
            product_set = rng.choice(sets)
            product = Product(
                name=f"{rng.choice(PRODUCT_WORDS)} {entity.commune.short_name or entity.commune.name} {i}",
                entity=entity,
                commune=entity.commune,
                product_set=product_set,
                group_code=product_set.group.code,
            )
            product.refresh_keys()
            products.append(product)
        Product.objects.bulk_create(products, batch_size=1000)
        events = []
        for product in products:
            first = today - dt.timedelta(days=rng.randint(30, 6 * 365))
            events.append(
                RecognitionEvent(
                    product=product,
                    kind=EventKind.NEW,
                    stars=rng.choice([3, 3, 3, 4, 4, 5]),
                    decision_date=first,
                    decision_number=f"{rng.randint(1, 3000)}/QĐ-UBND",
                )
            )
            if rng.random() < 0.05 and first < today - dt.timedelta(days=60):
                events.append(
                    RecognitionEvent(
                        product=product,
                        kind=EventKind.REVOCATION,
                        stars=None,
                        decision_date=first + dt.timedelta(days=30),
                        decision_number="thu-hoi",
                    )
                )
        RecognitionEvent.objects.bulk_create(events, batch_size=1000)
        ids = [p.pk for p in products]
        for start in range(0, len(ids), 2000):
            certificates_sync(product_ids=ids[start : start + 2000])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        url = setup_database(args.postgres, stack)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        os.environ["OCOP_ALLOWED_HOSTS"] = "testserver"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_admin_units", verbosity=0)
        call_command("load_product_classifications", verbosity=0)
        print(f"database ({connection.vendor}) ready in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        generate(args.products)
        from ocop.portal.models import PortalListing

        print(
            f"generated {args.products} products ({PortalListing.objects.count()} listed) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        client = Client()
        everything: list[float] = []
        print(f"{'query':48} {'count':>6} {'p50 ms':>7} {'p95 ms':>7}")
        for params in QUERIES:
            timings = []
            body = None
            for run in range(args.runs + 2):
                t0 = time.perf_counter()
                response = client.get("/api/v1/products", params)
                elapsed = (time.perf_counter() - t0) * 1000
                assert response.status_code == 200, response.content
                body = response.json()
                if run >= 2:  # first runs warm caches (vocabulary, statements)
                    timings.append(elapsed)
            everything += timings
            label = "&".join(f"{k}={v}" for k, v in params.items()) or "(no filter)"
            print(
                f"{label:48} {body['count']:>6} {statistics.median(timings):>7.1f} "
                f"{percentile(timings, 95):>7.1f}"
            )
        print(f"{'ALL':48} {'':>6} {statistics.median(everything):>7.1f} {percentile(everything, 95):>7.1f}")
        if args.keep:
            print(f"database kept: {url}")


if __name__ == "__main__":
    main()
