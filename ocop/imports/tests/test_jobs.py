"""The import's check and import as background jobs (ocop.core.jobs): a run left by a dead process runs
again after the lease and stores nothing twice; a run that crashes or is given up marks its file failed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ocop.core import jobs
from ocop.core.models import Job
from ocop.imports.models import ImportJob
from ocop.imports.services.importing import audit_commune
from ocop.imports.services.jobs import import_upload
from ocop.imports.tests.helpers import row, write_csv
from ocop.products.models import Product

pytestmark = pytest.mark.django_db
BK = "Bắc Kạn"
S = ImportJob.Status


def _csv(tmp_path) -> bytes:
    path = write_csv(
        tmp_path / "ds.csv",
        [
            row("Măng khô", "HTX Măng Côn Minh", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/03/2021"),
        ],
    )
    return path.read_bytes()


def _confirmed(client, tmp_path, world) -> ImportJob:
    """A checked file its officer has confirmed: the import's job waits."""
    client.force_login(world.users.province)
    job = import_upload(user=world.users.province, file_name="ds.csv", data=_csv(tmp_path))
    assert jobs.run_one()
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == S.CONFIRMED
    return job


def _died_running(job: ImportJob, status: str) -> None:
    """As if a process took the job's run and died half-way, long ago."""
    run = job.run
    assert run is not None
    long_ago = timezone.now() - jobs.LEASE - dt.timedelta(minutes=1)
    DBTaskResult.objects.filter(id=run.task_id).update(status=TaskResultStatus.RUNNING)
    Job.objects.filter(pk=run.pk).update(
        status=Job.Status.RUNNING, attempts=run.attempts + 1, updated_at=long_ago
    )
    ImportJob.objects.filter(pk=job.pk).update(status=status)


def test_an_import_left_by_a_dead_process_runs_again_and_stores_once(client, tmp_path, world):
    job = _confirmed(client, tmp_path, world)
    _died_running(job, S.RUNNING)
    assert jobs.jobs_recover() == 1
    assert jobs.run_one()
    job.refresh_from_db()
    assert job.run is not None and (job.status, job.run.attempts) == (S.DONE, 2)
    assert Product.objects.filter(name="Măng khô").count() == 1


def test_a_check_left_by_a_dead_process_runs_again_with_its_file(tmp_path, world):
    job = import_upload(user=world.users.province, file_name="ds.csv", data=_csv(tmp_path))
    _died_running(job, S.CHECKING)
    assert jobs.jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == S.CHECKING and job.is_busy
    assert bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk))  # the file is kept
    assert jobs.run_one()
    job.refresh_from_db()
    assert job.status == S.CHECKED and job.rows == 1


def test_an_import_given_up_after_three_deaths_ends_failed(client, tmp_path, world):
    job = _confirmed(client, tmp_path, world)
    for _attempt in range(jobs.MAX_ATTEMPTS):
        job.refresh_from_db()
        _died_running(job, S.RUNNING)
        assert jobs.jobs_recover() == 1
    assert not jobs.run_one()  # given up, not run a fourth time
    job.refresh_from_db()
    assert job.status == S.FAILED and job.run.status == Job.Status.FAILED and not job.is_busy
    assert job.result["ok"] is False and "3 lần" in job.result["failure"]
    assert job.finished_at is not None
    assert bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)) == b""
    assert not Product.objects.filter(name="Măng khô").exists()
    assert "Lỗi hệ thống" in client.get(job.get_absolute_url()).content.decode()


def test_a_crashing_check_ends_failed_and_lets_the_file_go(tmp_path, world, monkeypatch):
    def broken(**kwargs):
        raise MemoryError

    job = import_upload(user=world.users.province, file_name="ds.csv", data=_csv(tmp_path))
    monkeypatch.setattr("ocop.imports.services.jobs.import_check", broken)
    assert jobs.run_one()
    job.refresh_from_db()
    assert job.status == S.FAILED and "MemoryError" in job.run.error
    assert job.result["ok"] is False and "lỗi hệ thống" in job.result["failure"]
    assert bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)) == b""


def test_province_officer_sees_their_import_in_the_audit_list(client, tmp_path, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ocop.core.models import AuditLog

    officer = world.users.province
    client.force_login(officer)
    upload = SimpleUploadedFile("nhat-ky.csv", _csv(tmp_path), content_type="text/csv")
    response = client.post(reverse("imports:upload"), {"file": upload})
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert jobs.run_one()
    job.refresh_from_db()
    assert job.status == S.CHECKED
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert jobs.run_one()
    job.refresh_from_db()
    assert job.status == S.DONE

    uploaded, confirmed, log = AuditLog.objects.filter(
        model_label="imports.importjob", object_pk=str(job.pk)
    ).order_by("pk")
    assert uploaded.action == AuditLog.Action.CREATE and uploaded.commune is not None
    assert confirmed.action == AuditLog.Action.UPDATE and confirmed.commune == log.commune
    assert log.commune is not None and log.commune.name == "Xã Côn Minh"
    assert AuditLog.objects.for_user(officer).filter(pk=log.pk).exists()
    page = client.get(reverse("core:audit_list"))
    assert page.status_code == 200 and "nhat-ky.csv" in page.content.decode()
    assert not AuditLog.objects.for_user(world.users.outsider).filter(pk=log.pk).exists()

    # Importing the same file again writes nothing, but the officer still sees the audit row.
    client.force_login(officer)
    again = client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile("lai.csv", _csv(tmp_path), content_type="text/csv")},
    )
    second = ImportJob.objects.get(pk=int(again["Location"].rstrip("/").split("/")[-1]))
    assert jobs.run_one()
    client.post(reverse("imports:job_confirm", args=[second.pk]))
    assert jobs.run_one()
    assert AuditLog.objects.for_user(officer).filter(object_pk=str(second.pk)).exists()


def test_audit_row_without_touched_products_uses_the_officers_unit(world):
    from ocop.imports.plan import Plan

    commune_id = audit_commune(plan=Plan(parsed=None, errors=[]), user=world.users.province)
    assert commune_id is not None
    from ocop.geography.selectors import commune_ids_covered_by

    assert commune_ids_covered_by(world.users.province.unit).filter(id=commune_id).exists()
