#!/usr/bin/env python
"""Benchmark of issuing stamps from the web as a background job (issue 22).

    .venv/bin/python scripts/bench_stamp_job.py [--quick] [--postgres] [--count N] [--keep DIR]

Builds a fresh database (`ocop init`; SQLite, or with --postgres a throw-away cluster from
scripts/pg_cluster.py) with one entity, product, batch and producer account, then:
  1. POSTs the issue form for N stamps (default 5,000,000) through Django's test client in its own process,
     the production settings with OCOP_JOB_THREADS=0 (no thread: the worker below does the work) — the
     request's wall time (target: returns at once, < 1 s);
  2. runs `ocop worker --once` as its own process: wall time and peak RSS of that process (os.wait4)
     (targets: < 120 s, < 500 MB); the job must end done, with N stamps stored and N codes in its ZIP.
One line per figure, prefixed `BENCH ` (collected by scripts/bench.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from bench_setup import bench_workdir, empty_database_url, production_env

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
from ocop.accounts.roles import Role
from ocop import testing
from ocop.geography.models import AdminUnit
from ocop.traceability import services
commune = AdminUnit.objects.filter(level='commune').order_by('code').first()
entity = testing.make_entity(commune=commune, name='HTX Miến dong Nam Mẫu')
product = testing.make_product(entity=entity, name='Miến dong Nam Mẫu')
testing.make_user(Role.PRODUCER, entity=entity, username='bench-producer')
print(services.batch_create(user=None, product=product, lot='BENCH-WEB').pk)
"""

REQUEST = """
import sys, time
from django.test import Client
from django.test.utils import setup_test_environment
from ocop.accounts.models import User
setup_test_environment()
client = Client(HTTP_HOST='127.0.0.1')
client.force_login(User.objects.get(username='bench-producer'))
form = {'count': '%(count)s', 'active': 'on'}
review = client.post('/truy-xuat/lo/%(batch)s/tem/phat-hanh/', form)  # the page that asks once
assert review.status_code == 200 and b'name="confirmed"' in review.content, review.status_code
started = time.perf_counter()
response = client.post('/truy-xuat/lo/%(batch)s/tem/phat-hanh/', {**form, 'confirmed': '1'})
elapsed = time.perf_counter() - started
print(response.status_code, response.get('Location', ''), f'{elapsed:.4f}')
"""

CHECK = """
from ocop.core.models import Job
from ocop.core.jobs import open_file
from ocop.traceability.models import Stamp
job = Job.objects.get()
rows = -1
opened = open_file(job, 'codes')
if opened is not None:
    import zipfile
    with zipfile.ZipFile(opened[0]) as zipped, zipped.open('codes.csv') as codes:
        rows = sum(1 for _ in codes) - 1
print(job.status, Stamp.objects.count(), rows, job.files.get('codes', {}).get('path', ''))
"""


def line(name: str, value: str, verdict: str = "") -> None:
    print(f"BENCH stamp-job {name}: {value}{f'  {verdict}' if verdict else ''}", flush=True)


def check(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def shell(ocop: list[str], env: dict[str, str], script: str) -> str:
    done = subprocess.run(
        [*ocop, "shell", "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200,000 stamps")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--count", type=int)
    parser.add_argument("--keep", help="keep the database and files in this directory")
    args = parser.parse_args()
    count = args.count or (200_000 if args.quick else 5_000_000)
    limit_s = 120 * count / 5_000_000
    ocop = [sys.executable, "-m", "ocop.cli"]
    with ExitStack() as stack:
        workdir = bench_workdir(stack, keep=args.keep, prefix="bench-stamp-job-")
        url = empty_database_url(stack, workdir, postgres=args.postgres)
        env = production_env(url, workdir, OCOP_JOB_THREADS="0", OCOP_ALLOWED_HOSTS="127.0.0.1,testserver")
        line("database", "postgresql" if args.postgres else "sqlite")
        subprocess.run([*ocop, "init"], env=env, cwd=ROOT, check=True, capture_output=True)
        batch = shell(ocop, env, SETUP)
        status, location, seconds = shell(ocop, env, REQUEST % {"batch": batch, "count": count}).split(" ")
        line(
            f"web request for {count:,} stamps, once confirmed (redirect to the job page)",
            f"{float(seconds) * 1000:.0f} ms → {status} {location}",
            check(status == "302" and "/viec-nen/" in location and float(seconds) < 1),
        )
        started = time.perf_counter()
        worker = subprocess.Popen(  # noqa: S603 — our own CLI
            [*ocop, "worker", "--once"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        _pid, exit_status, usage = os.wait4(worker.pid, 0)
        elapsed = time.perf_counter() - started
        rss_mb = usage.ru_maxrss / 1024  # Linux: KiB
        if exit_status:
            raise SystemExit(f"worker failed:\n{worker.stderr.read().decode()[-3000:]}")
        job_status, stamps, rows, stored = shell(ocop, env, CHECK).split(" ")
        line(
            f"job issuing {count:,} stamps (`ocop worker --once` wall time)",
            f"{elapsed:.1f} s",
            check(elapsed < limit_s and job_status == "done"),
        )
        line(f"job issuing {count:,} stamps peak RSS", f"{rss_mb:.0f} MB", check(rss_mb < 500))
        size = (workdir / "var" / "media-private" / stored).stat().st_size if stored else 0
        line(
            "stamps stored / codes in the ZIP",
            f"{int(stamps):,} / {int(rows):,} ({size / 1e6:.0f} MB ZIP)",
            check(int(stamps) == int(rows) == count),
        )


if __name__ == "__main__":
    main()
