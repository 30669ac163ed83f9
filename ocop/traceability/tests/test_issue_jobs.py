"""Issuing stamps from the web as a background job: the request only starts it; the job stores the stamps
chunk by chunk, writes the codes into a ZIP, audits, and undoes everything when it fails or is rerun."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ocop.core import jobs
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog, Job
from ocop.traceability import issue_jobs, services
from ocop.traceability.models import Stamp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _codes_of(job: Job) -> list[list[str]]:
    handle, name = jobs.open_file(job, "codes")
    with zipfile.ZipFile(handle) as zipped:
        return list(csv.reader(io.StringIO(zipped.read("codes.csv").decode())))


def test_job_stores_every_chunk_and_offers_the_codes(batch, world, monkeypatch):
    monkeypatch.setattr(issue_jobs, "CHUNK", 7)  # several chunks, the last one short
    services.stamps_issue(user=None, batch=batch, count=2, active=True, base_url="")  # serials 1–2 exist
    job = issue_jobs.stamps_issue_start(
        user=world.users.producer, batch=batch, count=20, active=False, base_url="https://ocop.vn"
    )
    assert Stamp.objects.filter(batch=batch).count() == 2
    assert jobs.run_one()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.result["summary"] == "Đã phát hành 20 tem, số 3–22."
    assert job.link.endswith("?tu=3&den=22#tem")
    rows = _codes_of(job)
    assert rows[0] == ["serial", "code", "url"] and len(rows) == 21
    stored = dict(Stamp.objects.filter(batch=batch, serial__gte=3).values_list("serial", "code"))
    assert {int(r[0]): r[1] for r in rows[1:]} == stored and sorted(stored) == list(range(3, 23))
    assert rows[1][2] == f"https://ocop.vn/s/{rows[1][1]}"
    assert set(Stamp.objects.filter(serial__gte=3).values_list("status", flat=True)) == {"issued"}
    log = AuditLog.objects.filter(model_label="traceability.batch", object_pk=str(batch.pk)).first()
    assert log.changes["stamps"][1] == "20 tem số 3–22" and log.username == "htx-nammau"


def test_bad_requests_are_refused_before_any_job(batch, world):
    with pytest.raises(ValidationError, match="Số tem phải từ 1 đến 5.000.000"):
        issue_jobs.stamps_issue_start(user=None, batch=batch, count=5_000_001, active=True, base_url="")
    with pytest.raises(ScopeError):
        issue_jobs.stamps_issue_start(
            user=world.users.outsider, batch=batch, count=5, active=True, base_url=""
        )
    issue_jobs.stamps_issue_start(user=None, batch=batch, count=5, active=True, base_url="")
    with pytest.raises(ValidationError, match="đang phát hành tem"):
        issue_jobs.stamps_issue_start(user=None, batch=batch, count=5, active=True, base_url="")
    assert Job.objects.count() == 1


def test_a_failure_midway_leaves_no_stamp(batch, monkeypatch):
    monkeypatch.setattr(issue_jobs, "CHUNK", 4)
    calls = {"n": 0}
    real_store = issue_jobs._store

    def failing_store(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_store(*args, **kwargs)

    monkeypatch.setattr(issue_jobs, "_store", failing_store)
    job = issue_jobs.stamps_issue_start(user=None, batch=batch, count=15, active=True, base_url="")
    jobs.run_one()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "OSError" in job.error
    assert not Stamp.objects.filter(batch=batch).exists()
    assert not job.files


def test_rerun_after_a_dead_worker_deletes_what_the_first_run_stored(batch, monkeypatch):
    monkeypatch.setattr(issue_jobs, "CHUNK", 5)
    job = issue_jobs.stamps_issue_start(user=None, batch=batch, count=12, active=True, base_url="")
    job.refresh_from_db()
    # A first run reserved serials 1–12 and stored 5 stamps, then its process died.
    context = jobs.JobContext(job)
    issue_jobs._reserve_and_store(
        context, batch, ["X" * 21 for _ in range(1)], stamped=timezone.now(), active=True
    )
    assert Stamp.objects.filter(batch=batch).count() == 1
    long_ago = timezone.now() - jobs.LEASE - dt.timedelta(minutes=1)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1, updated_at=long_ago)
    assert jobs.jobs_recover() == 1
    jobs.run_one()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2
    assert list(
        Stamp.objects.filter(batch=batch).order_by("serial").values_list("serial", flat=True)
    ) == list(range(1, 13))
    assert not Stamp.objects.filter(code="X" * 21).exists()


def test_outsider_cannot_start_or_follow_an_issuing_job(client, batch, world):
    client.force_login(world.users.outsider)
    response = client.post(reverse("traceability:stamps_issue", args=[batch.pk]), {"count": "3"})
    assert response.status_code == 404 and not Job.objects.exists()
    job = issue_jobs.stamps_issue_start(
        user=world.users.producer, batch=batch, count=3, active=True, base_url=""
    )
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404


def test_fast_codes_are_valid_stamp_codes_and_all_different():
    from ocop.traceability import codes

    made = issue_jobs.fresh_codes(20_001)
    assert len(made) == 20_001 == len(set(made))
    assert all(len(code) == 21 and codes.is_valid(code) for code in made)
    assert all(codes.check_char(code[:-1]) == code[-1] for code in made)
