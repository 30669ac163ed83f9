"""Jobs left checking/running by a worker that died are given back after the lease, at most 3 times."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ocop.imports import services
from ocop.imports.models import ImportJob
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


def _age(job: ImportJob, minutes: int) -> None:
    """As if the job was claimed (and last reported progress) `minutes` ago."""
    then = timezone.now() - dt.timedelta(minutes=minutes)
    ImportJob.objects.filter(pk=job.pk).update(claimed_at=then, updated_at=then)


def _crash_while_claimed(job: ImportJob, minutes: int = 30) -> ImportJob:
    """A worker claims the job and dies without finishing it."""
    assert services.job_claim(pk=job.pk) is not None
    _age(job, minutes)
    job.refresh_from_db()
    return job


def test_running_job_of_a_dead_worker_is_run_again_after_the_lease(tmp_path, world):
    job = services.job_create(user=world.users.province, file_name="ds.csv", data=_csv(tmp_path))
    ImportJob.objects.filter(pk=job.pk).update(status=S.CONFIRMED)
    job = _crash_while_claimed(job)
    assert (job.status, job.attempts) == (S.RUNNING, 1)

    done = services.job_run_next()
    assert done is not None and done.pk == job.pk
    job.refresh_from_db()
    assert (job.status, job.attempts) == (S.DONE, 2)
    assert Product.objects.filter(name="Măng khô").count() == 1


def test_checking_job_goes_back_to_the_queue(tmp_path, world):
    job = services.job_create(user=world.users.province, file_name="ds.csv", data=_csv(tmp_path))
    _crash_while_claimed(job)
    assert services.jobs_recover() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (S.QUEUED, 1)
    assert bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk))  # the file is kept


def test_job_within_its_lease_or_still_reporting_progress_is_left_alone(tmp_path, world, settings):
    settings.OCOP_IMPORT_LEASE_MINUTES = 10
    fresh = services.job_create(user=world.users.province, file_name="a.csv", data=_csv(tmp_path))
    _crash_while_claimed(fresh, minutes=5)
    busy = services.job_create(user=world.users.province, file_name="b.csv", data=_csv(tmp_path))
    _crash_while_claimed(busy, minutes=60)
    ImportJob.objects.filter(pk=busy.pk).update(updated_at=timezone.now())  # progress a moment ago
    assert services.jobs_recover() == 0
    assert services.job_claim() is None
    assert set(ImportJob.objects.values_list("status", flat=True)) == {S.CHECKING}


def test_job_is_given_up_after_three_attempts(tmp_path, world):
    job = services.job_create(user=world.users.province, file_name="ds.csv", data=_csv(tmp_path))
    ImportJob.objects.filter(pk=job.pk).update(status=S.CONFIRMED)
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        job = _crash_while_claimed(job)
        assert job.attempts == attempt
        if attempt < services.MAX_ATTEMPTS:
            assert services.jobs_recover() == 1
    assert services.job_run_next() is None  # given up, not claimed a fourth time
    job.refresh_from_db()
    assert job.status == S.FAILED and job.attempts == services.MAX_ATTEMPTS
    assert job.result["ok"] is False and "3 lần" in job.result["failure"]
    assert job.finished_at is not None and not job.is_busy
    assert bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)) == b""
    assert not Product.objects.filter(name="Măng khô").exists()


def test_province_officer_sees_their_import_in_the_audit_list(client, tmp_path, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from ocop.core.models import AuditLog

    officer = world.users.province
    client.force_login(officer)
    upload = SimpleUploadedFile("nhat-ky.csv", _csv(tmp_path), content_type="text/csv")
    response = client.post(reverse("imports:upload"), {"file": upload})
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == S.CHECKED
    client.post(reverse("imports:job_confirm", args=[job.pk]))
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
    client.post(reverse("imports:job_confirm", args=[second.pk]))
    assert AuditLog.objects.for_user(officer).filter(object_pk=str(second.pk)).exists()


def test_audit_row_without_touched_products_uses_the_officers_unit(world):
    from ocop.imports.plan import Plan

    commune_id = services._audit_commune(Plan(parsed=None, errors=[]), world.users.province)
    assert commune_id is not None
    from ocop.geography.selectors import commune_ids_covered_by

    assert commune_ids_covered_by(world.users.province.unit).filter(id=commune_id).exists()
