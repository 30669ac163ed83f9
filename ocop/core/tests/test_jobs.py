"""The one background-job mechanism (core.jobs on django-tasks + django-tasks-db): start, run by the worker,
progress, files, failures, recovery after a dead runner, and who may follow a job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ocop.core import jobs
from ocop.core.models import Job
from ocop.core.tests.sample_jobs import crashing_job, echo_job, refusing_job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_start_writes_the_job_and_its_task_without_running_it(world):
    job = jobs.job_start(task=echo_job, user=world.users.province, title="Ghép chữ", params={"words": ["a"]})
    assert job.status == Job.Status.QUEUED and job.progress == 0
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.task_path == "ocop.core.tests.sample_jobs.echo_job"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert task.status == TaskResultStatus.READY


def test_worker_runs_the_job_once_and_keeps_its_file(world):
    job = jobs.job_start(
        task=echo_job, user=world.users.province, title="Ghép chữ", params={"words": ["Miến", "dong"]}
    )
    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100 and job.attempts == 1
    assert job.result == {"summary": "Đã ghép 2 chữ."}
    handle, name = jobs.open_file(job, "txt")
    assert handle.read().decode() == "Miến dong" and name == "ket-qua.txt"
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.SUCCESSFUL
    assert jobs.run_one() is False  # nothing left
    # A second delivery of the same task finds the job done and changes nothing.
    assert echo_job.call(job.pk) == {"job": job.pk, "ran": False}


def test_refused_job_ends_with_the_users_message_and_its_rows(world):
    job = jobs.job_start(task=refusing_job, user=None, title="Nhập", params={"reason": "Thiếu cột Tên lớp."})
    jobs.run_one()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error == "Thiếu cột Tên lớp."
    assert job.result["errors"][0]["row"] == 3
    assert DBTaskResult.objects.get(id=job.task_id).status == TaskResultStatus.SUCCESSFUL


def test_crash_fails_the_job_and_keeps_the_traceback_on_the_task(world):
    job = jobs.job_start(task=crashing_job, user=None, title="Hỏng", params={})
    jobs.run_one()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "ZeroDivisionError" in job.error
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.status == TaskResultStatus.FAILED and "boom" in task.traceback


def test_a_job_left_running_by_a_dead_process_runs_again_then_gives_up(world):
    job = jobs.job_start(task=echo_job, user=None, title="Ghép", params={"words": ["x"]})
    first_task = job.task_id
    long_ago = timezone.now() - jobs.LEASE - dt.timedelta(minutes=1)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1, updated_at=long_ago)
    DBTaskResult.objects.filter(id=first_task).update(status=TaskResultStatus.RUNNING)
    assert jobs.jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id != first_task
    assert DBTaskResult.objects.get(id=first_task).status == TaskResultStatus.FAILED
    jobs.run_one()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2

    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=jobs.MAX_ATTEMPTS, updated_at=long_ago
    )
    assert jobs.jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "3 lần" in job.error


def test_recent_running_job_is_left_alone(world):
    job = jobs.job_start(task=echo_job, user=None, title="Ghép", params={"words": ["x"]})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1)
    assert jobs.jobs_recover() == 0


def test_a_failing_request_leaves_no_job_behind(world):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.job_start(task=echo_job, user=None, title="Ghép", params={"words": ["x"]})
        raise RuntimeError
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_job_page_progress_and_download_for_its_owner_only(client, world):
    job = jobs.job_start(task=echo_job, user=world.users.province, title="Ghép chữ", params={"words": ["a"]})
    client.force_login(world.users.province)
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    assert page.status_code == 200 and "Đang chờ" in page.content.decode()
    assert client.get(reverse("core:job_file", args=[job.pk, "txt"])).status_code == 404  # not done yet
    jobs.run_one()
    page = client.get(reverse("core:job_detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert "Tải kết quả" in page.content.decode()
    download = client.get(reverse("core:job_file", args=[job.pk, "txt"]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"a"
    assert "Ghép chữ" in client.get(reverse("core:job_list")).content.decode()
    for outsider in (world.users.outsider, world.users.producer):
        client.force_login(outsider)
        assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("core:job_file", args=[job.pk, "txt"])).status_code == 404
        assert "Ghép chữ" not in client.get(reverse("core:job_list")).content.decode()
    client.force_login(world.users.admin)
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 200


def test_job_failed_is_sent_for_a_crash_a_refusal_and_a_give_up_but_not_a_success(world):
    from ocop.core.signals import job_failed

    heard: list[tuple[int, str]] = []

    def listen(sender, *, job, **kwargs):
        heard.append((job.pk, job.status))

    job_failed.connect(listen)
    try:
        done = jobs.job_start(task=echo_job, user=None, title="Ghép", params={"words": ["x"]})
        refused = jobs.job_start(task=refusing_job, user=None, title="Nhập", params={"reason": "Thiếu cột."})
        crashed = jobs.job_start(task=crashing_job, user=None, title="Hỏng", params={})
        while jobs.run_one():
            pass
        abandoned = jobs.job_start(task=echo_job, user=None, title="Ghép", params={"words": ["y"]})
        long_ago = timezone.now() - jobs.LEASE - dt.timedelta(minutes=1)
        Job.objects.filter(pk=abandoned.pk).update(
            status=Job.Status.RUNNING, attempts=jobs.MAX_ATTEMPTS, updated_at=long_ago
        )
        assert jobs.jobs_recover() == 1
    finally:
        job_failed.disconnect(listen)
    failed = Job.Status.FAILED
    assert sorted(heard) == [(refused.pk, failed), (crashed.pk, failed), (abandoned.pk, failed)]
    assert done.pk not in {pk for pk, _status in heard}


def test_a_broken_job_failed_receiver_does_not_stop_the_worker(world):
    from ocop.core.signals import job_failed

    def broken(sender, **kwargs):
        raise RuntimeError("receiver")

    job_failed.connect(broken)
    try:
        job = jobs.job_start(task=refusing_job, user=None, title="Nhập", params={"reason": "Thiếu cột."})
        assert jobs.run_one()
    finally:
        job_failed.disconnect(broken)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error == "Thiếu cột."
