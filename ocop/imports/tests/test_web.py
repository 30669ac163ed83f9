"""Web import: upload → errors → fix → confirm, scoping, the error report; the check and the import run as
background jobs (ocop.core.jobs), here by ``run_one()`` or ``ocop worker``."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from ocop.core.jobs import run_one
from ocop.core.models import AuditLog, Job
from ocop.imports.models import ImportJob
from ocop.imports.services.jobs import import_upload
from ocop.imports.tests.helpers import row, write_csv
from ocop.products.models import Product

pytestmark = pytest.mark.django_db
BK = "Bắc Kạn"


def _upload(client, path):
    with path.open("rb") as fh:
        upload = SimpleUploadedFile(path.name, fh.read(), content_type="text/csv")
    return client.post(reverse("imports:upload"), {"file": upload})


def _job(response) -> ImportJob:
    assert response.status_code == 302, response.content[:500]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _run(job: ImportJob) -> ImportJob:
    """Run the job's background check or import (what the worker or the web process's thread does)."""
    assert run_one()
    job.refresh_from_db()
    return job


def test_upload_errors_fix_and_import(client, tmp_path, world):
    client.force_login(world.users.province)
    page = client.get(reverse("imports:upload"))
    assert page.status_code == 200 and "Nhập danh sách" in page.content.decode()
    bad = write_csv(
        tmp_path / "ds.csv",
        [
            row("Chè Bằng Phúc", "HTX Bằng Phúc", "Xã Bằng Phúc", "Chợ Đồn", BK, "3 sao", "12/05/2022"),
            row("Kẹo lạc", "Công ty Kẹo", world.places.ha_tinh_commune.name, "", "Hà Tĩnh", 3, "01/08/2025"),
            row("Chè xanh", "HTX Chè", "=cmd|' /C calc'!A0", "Chợ Đồn", BK, 3, "12/05/2022"),
        ],
    )
    job = _run(_job(_upload(client, bad)))
    assert job.status == ImportJob.Status.REFUSED
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tệp không được nhập" in page and "ngoài phạm vi" in page
    # Errors come first, above the columns read and the preview, whose bad cells are marked.
    assert page.index('id="loi"') < page.index("Cột nhận được") < page.index('id="xem-truoc"')
    marked = page.split('id="xem-truoc"')[1].split('class="cell--error"')
    assert len(marked) == 3 and "Lỗi: " in marked[1] and world.places.ha_tinh_commune.name in marked[1]
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Xã"), (4, "Xã")]
    assert not Product.objects.filter(name="Chè Bằng Phúc").exists()

    report = client.get(reverse("imports:job_errors", args=[job.pk]))
    assert report.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(report.streaming_content if report.streaming else [report.content]))
    )
    assert sheet.sheetnames == ["ds", "Danh sách lỗi"]
    # The file's own rows, row N of the workbook is row N of the file, an error column after them.
    original = list(sheet["ds"].iter_rows(values_only=True))
    header = original[0]
    assert header[-1] == "Lỗi (hệ thống ghi khi kiểm tra)" and header[0] == "STT"
    assert len(original) == 4 and original[1][-1] in (None, "")
    assert (
        original[2][1] == "Kẹo lạc"
        and original[2][-1].startswith("Xã: ")
        and "ngoài phạm vi" in original[2][-1]
    )
    assert original[3][header.index("Xã")] == "'=cmd|' /C calc'!A0"  # shown, never a formula
    listed = list(sheet["Danh sách lỗi"].iter_rows(values_only=True))
    assert listed[0] == ("Dòng", "Trang", "Cột", "Giá trị trong tệp", "Lỗi")
    assert [line[0] for line in listed[1:]] == [3, 4]
    assert listed[2][3] == "'=cmd|' /C calc'!A0"
    assert all(cell.data_type != "f" for ws in sheet for line in ws.iter_rows() for cell in line)

    fixed = write_csv(
        tmp_path / "ds-sua.csv",
        [
            row("Chè Bằng Phúc", "HTX Bằng Phúc", "Xã Bằng Phúc", "Chợ Đồn", BK, "3 sao", "12/05/2022"),
            row("Chè xanh", "HTX Chè", "Xã Bằng Phúc", "Chợ Đồn", BK, 3, "12/05/2022"),
        ],
    )
    job = _run(_job(_upload(client, fixed)))
    assert job.status == ImportJob.Status.CHECKED
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Xác nhận nhập" in page and "Chè Bằng Phúc" in page and "Tên sản phẩm" in page
    assert not Product.objects.filter(name="Chè Bằng Phúc").exists()
    response = client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert response.status_code == 302
    job = _run(job)
    assert job.status == ImportJob.Status.DONE and job.result["events"] == 2
    assert Product.objects.filter(name__in=["Chè Bằng Phúc", "Chè xanh"]).count() == 2
    uploaded, confirmed, audit = AuditLog.objects.filter(
        model_label="imports.importjob", object_pk=str(job.pk)
    ).order_by("pk")
    assert uploaded.action == AuditLog.Action.CREATE and uploaded.changes["tệp"] == job.file_name
    assert confirmed.action == AuditLog.Action.UPDATE and confirmed.username == "tinh-thainguyen"
    assert audit.username == "tinh-thainguyen" and audit.changes["sản phẩm mới"] == 2
    assert "Đã nhập xong" in client.get(job.get_absolute_url()).content.decode()
    # Confirming twice does nothing more: no second import is started.
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert not run_one()
    assert Product.objects.filter(name="Chè Bằng Phúc").count() == 1


@pytest.mark.parametrize("who", ["district", "commune", "producer", "council"])
def test_other_roles_get_404(client, world, who):
    client.force_login(getattr(world.users, who))
    assert client.get(reverse("imports:upload")).status_code == 404


def test_jobs_of_others_are_404_and_admin_sees_them(client, tmp_path, world):
    job = import_upload(user=world.users.province, file_name="a.csv", data=b"x")
    client.force_login(world.users.outsider)
    for name in ("imports:job", "imports:job_progress", "imports:job_errors"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:job_confirm", args=[job.pk])).status_code == 404
    client.force_login(world.users.admin)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_the_check_and_the_import_run_as_jobs_with_progress(client, tmp_path, world):
    client.force_login(world.users.province)
    rows = [row(f"Sản phẩm {i}", "HTX Lớn", "Xã Nam Mẫu", "Ba Bể", BK, 3, "01/03/2021") for i in range(5)]
    job = _job(_upload(client, write_csv(tmp_path / "lon.csv", rows)))
    assert job.status == ImportJob.Status.QUEUED and job.run.status == Job.Status.QUEUED
    assert job.run.link == job.get_absolute_url() and job.run.user == world.users.province
    progress = client.get(reverse("imports:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in progress.content.decode() and "HX-Refresh" not in progress
    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.rows == 5
    assert job.run.status == Job.Status.DONE and "Tệp hợp lệ" in job.run.result["summary"]
    assert client.get(reverse("imports:job_progress", args=[job.pk]))["HX-Refresh"] == "true"
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CONFIRMED and job.is_busy and job.progress == 0
    call_command("worker", "--once")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.result["created_products"] == 5
    assert job.run.status == Job.Status.DONE and job.run.title == "Nhập tệp “lon.csv”"
    assert Product.objects.filter(entity__name="HTX Lớn").count() == 5
    assert bytes(ImportJob.objects.values_list("content", flat=True).get(pk=job.pk)) == b""


def test_a_check_runs_once(world):
    job = import_upload(user=world.users.province, file_name="a.csv", data=b"x")
    assert run_one()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED and job.run.attempts == 1
    # A second delivery of the same task (the worker and the web thread both at it) changes nothing.
    from ocop.imports.services.jobs import import_check_job

    assert import_check_job.call(job.run.pk) == {"job": job.run.pk, "ran": False}
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
