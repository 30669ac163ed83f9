"""Buffered scan logging: counts include waiting scans, a flush writes them all, nothing is lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocop.traceability import scanlog
from ocop.traceability.models import Scan, Stamp
from ocop.traceability.scanlog import scan_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def buffered(settings, monkeypatch, tmp_path):
    """Asynchronous mode without the writer thread: the test flushes by hand."""
    settings.STAMP_SCANS_SYNC = False
    settings.STAMP_SPOOL_DIR = str(tmp_path / "spool")
    settings.STAMP_REPEAT_LIMIT = 1000  # these tests scan one code from one client many times
    monkeypatch.setattr(scan_log, "_ensure_thread", lambda: None)
    monkeypatch.setattr(scanlog.connection, "close", lambda: None)  # keep the test's connection
    return scan_log


def test_waiting_scans_count_and_a_shutdown_writes_every_one(client, world, issue, buffered):
    first, second = issue(2)
    counts = [client.get(f"/api/v1/stamps/{first}").json()["scan_count"] for _ in range(250)]
    client.get(f"/api/v1/stamps/{second}")
    client.get("/api/v1/stamps/NOT-A-CODE")
    assert counts == list(range(1, 251))  # the answer includes this process's unwritten scans
    assert buffered.waiting() == 252 and Scan.objects.count() == 0
    buffered.shutdown()
    assert buffered.waiting() == 0
    assert Scan.objects.count() == 252
    assert Stamp.objects.get(code=first).scan_count == 250
    assert Stamp.objects.get(code=second).scan_count == 1
    assert client.get(f"/api/v1/stamps/{first}").json()["scan_count"] == 251


def test_a_failed_write_keeps_the_scans_for_the_next_flush(client, world, issue, buffered, monkeypatch):
    code = issue(1)[0]
    for _ in range(3):
        client.get(f"/api/v1/stamps/{code}")
    real = scanlog.write_scans

    def broken(items, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(scanlog, "write_scans", broken)
    with pytest.raises(RuntimeError):
        buffered.flush()
    assert buffered.waiting() == 3
    monkeypatch.setattr(scanlog, "write_scans", real)
    assert buffered.flush() == 3
    assert Stamp.objects.get(code=code).scan_count == 3


def test_signals_are_applied_in_order_at_write_time(client, settings, world, issue, buffered):
    settings.STAMP_MAX_CLIENTS = 2
    code = issue(1)[0]
    statuses = [
        client.get(f"/api/v1/stamps/{code}", REMOTE_ADDR=f"10.0.{n}.1").json()["status"] for n in range(3)
    ]
    assert statuses == ["genuine", "genuine", "suspicious"]
    buffered.flush()
    stamp = Stamp.objects.get(code=code)
    assert stamp.flagged and stamp.alerts.get().kind == "too_many_scans"


def test_a_stamp_deleted_before_the_flush_leaves_its_scans_without_a_stamp(client, world, issue, buffered):
    kept, deleted = issue(2)
    client.get(f"/api/v1/stamps/{kept}")
    client.get(f"/api/v1/stamps/{deleted}")
    Stamp.objects.filter(code=deleted).delete()
    assert buffered.flush() == 2  # the database has no constraint to refuse it; the scan log checks
    assert Scan.objects.get(code=deleted).stamp_id is None
    assert Scan.objects.get(code=kept).stamp.code == kept
    assert Stamp.objects.get(code=kept).scan_count == 1


def test_deleting_a_stamp_still_deletes_its_scans(client, world, issue):
    code = issue(1)[0]
    client.get(f"/api/v1/stamps/{code}")
    assert Scan.objects.filter(code=code).count() == 1
    Stamp.objects.filter(code=code).delete()
    assert not Scan.objects.filter(code=code).exists()


def test_a_stamp_past_the_limit_is_alerted_once_not_once_per_scan(
    client, settings, world, issue, buffered, django_capture_on_commit_callbacks
):
    settings.STAMP_MAX_CLIENTS = 2
    code = issue(1)[0]
    for n in range(5):
        client.get(f"/api/v1/stamps/{code}", REMOTE_ADDR=f"10.0.{n}.1")
    with django_capture_on_commit_callbacks(execute=True):
        buffered.flush()
    stamp = Stamp.objects.get(code=code)
    assert stamp.alerts.get().details["clients"] == 3  # the first scan past the limit
    for n in range(3):
        client.get(f"/api/v1/stamps/{code}", REMOTE_ADDR=f"10.1.{n}.1")
    with CaptureQueriesContext(connection) as queries:
        buffered.flush()
    assert not [q for q in queries if "stampalert" in q["sql"].lower()]  # known: not sent again
    assert stamp.alerts.count() == 1 and Stamp.objects.get(code=code).scan_count == 8
