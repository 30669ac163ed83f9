"""Uploaded lists that were refused or never confirmed are let go after KEEP_DAYS; the rest stay."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ocop.core import jobs
from ocop.core.models import AuditLog
from ocop.imports.models import ImportJob
from ocop.imports.services.jobs import import_upload
from ocop.imports.services.retention import KEEP_DAYS, import_files_release
from ocop.imports.tests.helpers import row, write_csv

pytestmark = pytest.mark.django_db
S = ImportJob.Status


def _checked(tmp_path, world, *, good: bool) -> ImportJob:
    stars = 3 if good else 9
    path = write_csv(
        tmp_path / "ds.csv",
        [row("Măng khô", "HTX Măng Côn Minh", "Xã Côn Minh", "Huyện Na Rì", "Bắc Kạn", stars, "01/03/2021")],
    )
    job = import_upload(user=world.users.province, file_name="ds.csv", data=path.read_bytes())
    assert jobs.run_one()
    job.refresh_from_db()
    assert job.status == (S.CHECKED if good else S.REFUSED)
    return job


def _content(job: ImportJob) -> bytes:
    return bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk))


def test_refused_and_unconfirmed_files_are_let_go_after_the_keeping_time(tmp_path, world):
    refused = _checked(tmp_path, world, good=False)
    waiting = _checked(tmp_path, world, good=True)
    recent = _checked(tmp_path, world, good=False)
    old = timezone.now() - dt.timedelta(days=KEEP_DAYS + 1)
    ImportJob.objects.filter(pk__in=[refused.pk, waiting.pk]).update(finished_at=old)

    assert import_files_release() == 2

    assert _content(refused) == b"" and _content(waiting) == b""
    assert _content(recent) != b""  # still within its keeping time: its error workbook still works
    refused.refresh_from_db()
    assert refused.status == S.REFUSED and refused.result["errors"]  # the page still says what was wrong
    logged = AuditLog.objects.filter(model_label="imports.importjob", action=AuditLog.Action.UPDATE)
    assert sorted(int(entry.object_pk) for entry in logged) == sorted([refused.pk, waiting.pk])
    assert import_files_release() == 0  # nothing left to let go


def test_the_daily_command_reports_and_refuses_a_keeping_time_under_one_day(tmp_path, world):
    job = _checked(tmp_path, world, good=False)
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=3))
    out = StringIO()
    call_command("release_import_files", "--days", "2", stdout=out)
    assert "1 tệp" in out.getvalue()
    with pytest.raises(CommandError, match="từ 1 trở lên"):
        call_command("release_import_files", "--days", "0")
