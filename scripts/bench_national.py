"""National-scale benchmark (issue 9): the country's data, its pages, and the server under load.

    .venv/bin/python scripts/bench_national.py [--products 20000] [--postgres] [--quick] [--port 8131]
        [--database-url URL]   # reuse a database filled by an earlier run (iterating on the pages)

1. A temporary database (SQLite file, or with --postgres a throwaway PostgreSQL 15 cluster from
   scripts/pg_cluster.py) is migrated and filled by `ocop demo-data --scale national` (timed).
2. In process (Django test client: routing, middleware, queries, templates; no network), the page cache
   switched off so every request does the full work — "server time", p50/p95 over several runs:
   stats of a province and of the nation (all 34 provinces) as of a date, the statistics dashboard page,
   the public search page and API, the public product page.
3. Over HTTP: `ocop serve` (gunicorn, 2 workers × 4 threads, production settings, page cache on) loaded by
   `wrk` (installed with apt-get when missing): requests/second of a hello-world response (robots.txt: no
   database) and of the product, search and (when the traceability app has one) stamp-verify pages, with
   the ratios; peak RSS (VmHWM) of each worker after the load.

Every figure is printed as one line `BENCH <database> <figure>: <value> [target → PASS/FAIL]`;
scripts/bench.py collects them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 6, 30)
SEARCHES = ["gao", "mat ong", "che shan tuyet", "ha noi", "mien dong", "tra hoa vang thai nguyen", "gaoo"]
DB = "?"


def report(name: str, value: float, unit: str, *, target: float | None = None, below: bool = True) -> None:
    verdict = ""
    if target is not None:
        ok = value < target if below else value >= target
        verdict = f"   [target {'<' if below else '≥'} {target:g}{unit}] {'PASS' if ok else 'FAIL'}"
    print(f"BENCH {DB} {name}: {value:.1f}{unit}{verdict}", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up: statement caches, vocabulary, templates
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def setup(args, stack: contextlib.ExitStack) -> str:
    global DB
    workdir = Path(tempfile.mkdtemp(prefix="ocop-bench-national-"))
    stack.callback(shutil.rmtree, workdir, ignore_errors=True)
    os.environ["OCOP_STATIC_ROOT"] = str(workdir / "static")  # own collectstatic, not the checkout's
    if args.database_url:
        url = args.database_url
        DB = "postgresql" if url.startswith("postgres") else "sqlite"
    elif args.postgres:
        sys.path.insert(0, str(ROOT / "scripts"))
        from pg_cluster import TempPostgres

        pg = stack.enter_context(TempPostgres(quiet=True))
        url = pg.url
        DB = "postgresql"
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        DB = "sqlite"
    os.environ["DATABASE_URL"] = url
    # Production settings without the per-address rate limits (one load generator on 127.0.0.1 would be
    # throttled: the benchmark measures capacity, not the limiter).
    (workdir / "ocop_bench_settings.py").write_text(
        "from config.settings.prod import *  # noqa: F403\nOCOP_RATE_LIMITS = {}\n"
    )
    sys.path.insert(0, str(workdir))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(workdir), os.environ.get("PYTHONPATH")]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "ocop_bench_settings"
    os.environ["OCOP_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("OCOP_LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return url


def fill(products: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    if already_filled():
        call_command("migrate", verbosity=0)  # a newer checkout may add migrations
        call_command("collectstatic", interactive=False, verbosity=0)  # this run's own static root
        print(f"# database ({connection.vendor}) reused: already holds the national data", flush=True)
        return
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_admin_units", verbosity=0)
    call_command("load_product_classifications", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"# database ({connection.vendor}) ready in {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("demo_data", "--scale", "national", "--products", str(products), stdout=quiet)
    report(f"national data generation ({products} products)", time.perf_counter() - t0, " s", target=180)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def already_filled() -> bool:
    """True when --database-url names a database a previous run filled (its listing is not empty)."""
    from django.db import connection

    if "portal_portallisting" not in connection.introspection.table_names():
        return False
    from ocop.portal.models import PortalListing

    return PortalListing.objects.exists()


def in_process(runs: int) -> None:
    from django.conf import settings
    from django.test import Client

    from ocop.accounts.models import User
    from ocop.geography.models import AdminUnit, Generation, Level
    from ocop.portal.models import PortalListing
    from ocop.targets.selectors import unit_stats

    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # full work on every request
    # As `ocop serve` does once a worker has loaded the app (config/gunicorn.py): what exists now (the
    # generator's leftovers here, Django and the app there) is kept out of the periodic full collections,
    # and the young collections are spaced out.
    from config.gunicorn import collector_tune

    collector_tune()
    provinces = list(AdminUnit.objects.filter(level=Level.PROVINCE, generation=Generation.REFORM_2025))
    biggest = max(provinces, key=lambda p: PortalListing.objects.filter(new_province=p).count())
    t = timed(lambda: unit_stats(biggest, AS_OF), runs)
    report(f"stats of a province ({biggest.short_name}) as of {AS_OF} p95", percentile(t, 95), " ms")
    t = timed(lambda: [unit_stats(p, AS_OF) for p in provinces], max(3, runs // 5))
    report(f"stats of the nation ({len(provinces)} provinces) as of {AS_OF} p95", percentile(t, 95), " ms")

    admin = User.objects.get(username="admin")
    officer = Client()
    officer.force_login(admin)

    def get(client, url):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return fetch

    dashboard = f"/thong-ke/?unit={biggest.pk}&as_of={AS_OF}"
    t = timed(get(officer, dashboard), runs)
    report("dashboard page (largest province) median server time", percentile(t, 50), " ms")
    report("dashboard page (largest province) p95 server time", percentile(t, 95), " ms", target=50)

    # Issue 21: the staff home is the work queue (every app's counts, nation-wide for an administrator) and
    # the certificate list counts its four tabs to open on the first with rows.
    t = timed(get(officer, "/quan-ly/"), runs)
    report("staff home with the work queue (administrator, nation) p95 server time", percentile(t, 95), " ms")
    t = timed(get(officer, "/chung-nhan/"), runs)
    report("certificate list with tab counts (administrator, nation) p95", percentile(t, 95), " ms")

    public = Client()
    search_times: list[float] = []
    api_times: list[float] = []
    for q in SEARCHES:
        search_times += timed(get(public, f"/tim-kiem/?q={q}"), max(5, runs // 3))
        search_times += timed(get(public, f"/tim-kiem/?q={q}&het_han=1"), max(5, runs // 3))
        api_times += timed(get(public, f"/api/v1/products?q={q}&include_expired=1"), max(5, runs // 3))
    search_times += timed(get(public, f"/tim-kiem/?tinh={biggest.pk}"), max(5, runs // 3))
    search_times += timed(get(public, "/tim-kiem/?nhom=I&sao=4&trang=3"), max(5, runs // 3))
    report("public search page p95 server time", percentile(search_times, 95), " ms", target=50)
    report("public search API p95 server time", percentile(api_times, 95), " ms", target=50)
    listings = list(PortalListing.objects.order_by("pk")[:: max(1, PortalListing.objects.count() // 20)][:20])
    product_times: list[float] = []
    for listing in listings:
        product_times += timed(get(public, listing.get_absolute_url()), 3)
    report("public product page p95 server time", percentile(product_times, 95), " ms", target=50)
    home = timed(get(public, "/"), max(5, runs // 3))
    report("public home page p95 server time", percentile(home, 95), " ms", target=50)
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    public.get(listings[0].get_absolute_url())
    t = timed(get(public, listings[0].get_absolute_url()), runs)
    report("public product page from the page cache p95", percentile(t, 95), " ms")
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


# -- the portal as a market (issue 23) -------------------------------------------------------------------
def market_records() -> None:
    """Points of sale and fairs at a national scale, when the database has none: 18 points of sale per 2025
    province (as Bắc Kạn reports), each carrying 6 products in force, and 3 fairs per province with 8
    producers and 12 products each."""
    import random

    from ocop.geography.models import AdminUnit, Generation, Level
    from ocop.portal.search import base_listing
    from ocop.support.models import FairParticipation, PointOfSale, TradeFair

    if PointOfSale.objects.exists():
        return
    rng = random.Random(23)
    day = dt.date.today()
    provinces = list(AdminUnit.objects.filter(level=Level.PROVINCE, generation=Generation.REFORM_2025))
    points, fairs = [], []
    products_of: dict[int, list[tuple[int, int]]] = {}
    for pk, entity_id, province_id in base_listing().values_list("pk", "entity_id", "new_province_id"):
        products_of.setdefault(province_id, []).append((pk, entity_id))
    for province in provinces:
        communes = list(
            AdminUnit.objects.filter(province=province, level=Level.COMMUNE).values_list("pk", flat=True)
        )
        for index in range(18):
            points.append(
                PointOfSale(
                    name=f"Điểm bán OCOP {province.short_name} {index + 1}",
                    kind="showroom" if index < 2 else "point",
                    commune_id=rng.choice(communes),
                    address=f"Số {index + 1}, đường OCOP",
                    opening_notes="7:30–17:00",
                    opened_on=day - dt.timedelta(days=400),
                    search_key=f"diem ban ocop {index + 1}",
                )
            )
        for index in range(3):
            start = day + dt.timedelta(days=rng.randint(-700, 120))
            fairs.append(
                TradeFair(
                    name=f"Hội chợ OCOP {province.short_name} {index + 1}",
                    commune_id=rng.choice(communes),
                    venue="Trung tâm hội nghị",
                    organiser="Sở Công Thương",
                    booths=rng.randint(10, 120),
                    start_date=start,
                    end_date=start + dt.timedelta(days=4),
                    search_key=f"hoi cho ocop {index + 1}",
                )
            )
    PointOfSale.objects.bulk_create(points)
    TradeFair.objects.bulk_create(fairs)
    carried, shown, taking_part = [], [], []
    for point in PointOfSale.objects.select_related("commune__province"):
        pool = products_of.get(point.commune.province_id) or []
        for pk, _entity in rng.sample(pool, min(6, len(pool))):
            carried.append(PointOfSale.products.through(pointofsale_id=point.pk, product_id=pk))
    for fair in TradeFair.objects.select_related("commune__province"):
        pool = products_of.get(fair.commune.province_id) or []
        picked = rng.sample(pool, min(12, len(pool)))
        shown += [TradeFair.products.through(tradefair_id=fair.pk, product_id=pk) for pk, _entity in picked]
        entities = list(dict.fromkeys(entity for _pk, entity in picked))[:8]
        taking_part += [FairParticipation(fair_id=fair.pk, entity_id=entity) for entity in entities]
    PointOfSale.products.through.objects.bulk_create(carried)
    TradeFair.products.through.objects.bulk_create(shown)
    FairParticipation.objects.bulk_create(taking_part)


def market_pages(runs: int) -> None:
    """Server time of the pages of issue 23 (page cache off, like the other portal pages), the open data
    files and the sitemap."""
    from django.conf import settings
    from django.test import Client

    from ocop.geography.models import AdminUnit, Generation, Level
    from ocop.portal.models import PortalListing
    from ocop.support.models import PointOfSale, TradeFair

    market_records()
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    public = Client()

    def get(url):
        def fetch():
            response = public.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)

        return fetch

    biggest = max(
        AdminUnit.objects.filter(level=Level.PROVINCE, generation=Generation.REFORM_2025),
        key=lambda p: PortalListing.objects.filter(new_province=p).count(),
    )
    n = max(5, runs // 3)
    pages = {
        "points of sale page": ["/diem-ban/", f"/diem-ban/?tinh={biggest.pk}"]
        + [
            f"/diem-ban/{pk}/"
            for pk in PointOfSale.objects.order_by("pk").values_list("pk", flat=True)[::97][:6]
        ],
        "fairs page": ["/hoi-cho/"]
        + [
            f"/hoi-cho/{pk}/"
            for pk in TradeFair.objects.order_by("pk").values_list("pk", flat=True)[::17][:6]
        ],
        "map page": ["/ban-do/", f"/ban-do/?tinh={biggest.pk}", "/ban-do/?nhom=I&sao=4"],
        "map points": [
            "/ban-do/diem.json",
            f"/ban-do/diem.json?tinh={biggest.pk}",
            "/ban-do/diem.json?sao=5",
        ],
        "province ranking page": [
            "/xep-hang-tinh/",
            "/xep-hang-tinh/?ngay=2024-12-31",
            "/xep-hang-tinh/?xep=sao",
        ],
        "open data page": ["/du-lieu-mo/"],
        "English pages": ["/en/", "/en/tim-kiem/?q=gao", "/en/diem-ban/"],
    }
    for name, urls in pages.items():
        times: list[float] = []
        for url in urls:
            # Detail pages redirect to their slug: time the page itself.
            target = public.get(url).get("Location", url) if url.rstrip("/").split("/")[-1].isdigit() else url
            times += timed(get(target), n)
        report(f"public {name} p95 server time", percentile(times, 95), " ms", target=50)
    count = PortalListing.objects.count()
    for fmt, target in (("csv", 2000), ("json", None), ("xlsx", None)):
        t = timed(get(f"/du-lieu-mo/san-pham-ocop.{fmt}"), 3)
        report(
            f"open data {fmt.upper()} of every product ever recognised (~{count}) max",
            max(t),
            " ms",
            target=target,
        )
    t = timed(get("/sitemap.xml"), 3)
    report("sitemap.xml (with English alternates) max", max(t), " ms")


# -- HTTP ---------------------------------------------------------------------------------------------
def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    print("# wrk missing: apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, check=False)  # noqa: S607
    return shutil.which("wrk")


def wrk(url: str, seconds: int, connections: int = 16) -> tuple[float, float]:
    """(requests/second, p99 latency ms) of `wrk` against url; non-2xx/3xx responses make it fail."""
    done = subprocess.run(  # noqa: S603
        [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=False,
    )
    out = done.stdout
    if "Non-2xx or 3xx" in out:
        raise RuntimeError(f"{url}: error responses under load\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    return rps, float(p99.group(1)) * scale


def workers_of(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children += [int(c) for c in text]
    return children


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def over_http(port: int, seconds: int, workers: int) -> None:
    from ocop.portal.models import PortalListing

    if ensure_wrk() is None:
        print(f"BENCH {DB} HTTP figures: not measured (wrk could not be installed)")
        return
    env = {**os.environ, "OCOP_ACCESS_LOG": "/dev/null", "OCOP_LOG_LEVEL": "ERROR"}
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/ocop"), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("ocop serve did not start:\n" + server.stderr.read().decode()[-2000:])
        listing = PortalListing.objects.order_by("pk")[PortalListing.objects.count() // 2]
        pages = {
            "hello-world (robots.txt, no database)": "/robots.txt",
            "public product page (page cache on)": listing.get_absolute_url(),
            "public search page (page cache on)": "/tim-kiem/?q=gao",
        }
        verify = stamp_verify_url()
        if verify:
            pages["stamp verify"] = verify
        results = {}
        for label, path in pages.items():
            wrk(base + path, 2)  # warm-up (page cache filled, connections open)
            rps, p99 = wrk(base + path, seconds)
            results[label] = rps
            report(f"HTTP {label} requests/s (p99 {p99:.0f} ms)", rps, " rps")
        hello = results["hello-world (robots.txt, no database)"]
        for label, rps in results.items():
            if label.startswith("hello"):
                continue
            target = 70 if label == "stamp verify" else None
            report(f"HTTP {label} ÷ hello-world", 100 * rps / hello, "%", target=target, below=False)
        if not verify:
            print(
                f"# {DB} stamp verify vs hello-world: measured by scripts/bench_stamps.py (1M issued stamps)"
            )
        for n, worker in enumerate(workers_of(server.pid), 1):
            report(f"peak RSS of worker {n} under load", peak_rss_mb(worker), " MB", target=200)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def stamp_verify_url() -> str | None:
    """A stamp-verify URL when the traceability app has stamps and a public verify route (else None)."""
    try:
        from django.urls import NoReverseMatch, reverse

        from ocop.traceability import models as trace
    except ImportError:
        return None
    stamp_model = getattr(trace, "Stamp", None)
    if stamp_model is None:
        return None
    try:
        stamp = stamp_model.objects.order_by("pk").first()
    except Exception:  # noqa: BLE001 — table not there yet
        return None
    if stamp is None:
        return None
    for name in ("traceability_public:verify", "traceability:verify", "verify"):
        for args in ([getattr(stamp, "code", stamp.pk)], [stamp.pk]):
            with contextlib.suppress(NoReverseMatch):
                return reverse(name, args=args)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="2,000 products, fewer runs, short loads")
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--database-url",
        help="use this database (kept afterwards) instead of a throwaway one; filled only when empty, "
        "so a second run skips the generation (e.g. a cluster from `python scripts/pg_cluster.py`)",
    )
    args = parser.parse_args()
    products = 2_000 if args.quick and args.products == 20_000 else args.products
    runs = 10 if args.quick else 30
    with contextlib.ExitStack() as stack:
        setup(args, stack)
        fill(products)
        in_process(runs)
        market_pages(runs)
        if not args.no_http:
            from django.db import connections

            connections.close_all()
            over_http(args.port, 3 if args.quick else 10, args.workers)


if __name__ == "__main__":
    main()
