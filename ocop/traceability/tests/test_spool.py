"""Issue 18: a worker killed with SIGKILL loses none of the scans it answered: they are in its spool, which
the next worker to start replays — once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ocop.testing import database_url
from ocop.traceability import scanlog
from ocop.traceability.models import Scan, ScanSpoolSegment, Stamp

ROOT = Path(__file__).resolve().parents[3]

WORKER = """
import sys, time, django
django.setup()
from django.test import RequestFactory
from ocop.traceability import scanlog
from ocop.traceability.public import verify_json

scanlog.scan_log._ensure_thread = lambda: None  # no writer: every answered scan stays in the buffer
answered = 0
for code in sys.argv[1].split(","):
    for n in range(3):
        request = RequestFactory().get(f"/api/v1/stamps/{code}", REMOTE_ADDR=f"10.0.{n}.1")
        answered += verify_json(request, code).status_code == 200
print(answered, scanlog.scan_log.waiting(), flush=True)
time.sleep(120)
"""


@pytest.mark.django_db(transaction=True)
def test_scans_of_a_killed_worker_are_replayed_once_at_the_next_start(issue, tmp_path):
    codes = issue(4)
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "OCOP_SECRET_KEY": "d" * 60,
        "DATABASE_URL": database_url(),
        "OCOP_VAR_DIR": str(var),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, ",".join(codes)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        answered, waiting = map(int, worker.stdout.readline().split())
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert answered == waiting == 12
    assert Scan.objects.count() == 0  # the buffer died with the process
    spool = var / "scan-spool"
    assert list(spool.glob("*.scans")) and list(spool.glob("*.lock"))

    assert scanlog.replay_orphans(spool) == 12
    assert Scan.objects.count() == 12
    assert [s.scan_count for s in Stamp.objects.filter(code__in=codes)] == [3, 3, 3, 3]
    assert not list(spool.iterdir())  # segments and the dead worker's lock file are gone
    assert scanlog.replay_orphans(spool) == 0 and Scan.objects.count() == 12
    assert not ScanSpoolSegment.objects.exists()


@pytest.mark.django_db
def test_a_segment_already_written_is_not_replayed_twice(issue, tmp_path):
    """Killed between the flush's commit and the deletion of its segment file: the name is in the database."""
    code = issue(1)[0]
    spool = tmp_path / "spool"
    spool.mkdir()
    (spool / "999-dead.lock").touch()
    scan = scanlog.PendingScan(Stamp.objects.get(code=code).pk, code, _now(), "genuine", net_hash="ab" * 8)
    (spool / "999-dead.00000001.scans").write_bytes(scan.line())
    (spool / "999-dead.00000002.scans").write_bytes(scan.line() + b'["cut short')
    ScanSpoolSegment.objects.create(name="999-dead.00000001.scans")
    assert scanlog.replay_orphans(spool) == 1  # the second segment only; its torn line is skipped
    assert Scan.objects.count() == 1 and not list(spool.iterdir())


def test_a_live_workers_spool_is_left_alone(tmp_path):
    spool = scanlog.Spool(tmp_path)
    spool.append(b"[]\n")
    assert scanlog.replay_orphans(tmp_path) == 0
    assert len(list(tmp_path.glob("*.scans"))) == 1
    spool.close()


def _now():
    from django.utils import timezone

    return timezone.now()
