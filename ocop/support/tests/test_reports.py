"""Annual report end to end: job → DOCX, PDF, XLSX whose figures equal the dashboard's; private files."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from ocop.certification.services import event_record
from ocop.support import reports, services
from ocop.support.kinds import KINDS
from ocop.support.models import ReportJob
from ocop.support.selectors import support_kpis
from ocop.targets.selectors import unit_stats

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def reported(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    event_record(product=world.products.mien, stars=3, decision_date=D(2022, 5, 1))
    event_record(product=world.products.mien, stars=4, decision_date=D(2024, 5, 1))
    event_record(product=world.products.che, stars=3, decision_date=D(2024, 8, 1))
    services.record_create(
        user=world.users.province,
        kind=KINDS["tap-huan"],
        data={
            "title": "Tập huấn",
            "commune": world.places.nam_mau_successor,
            "start_date": D(2024, 4, 1),
            "officers": 295,
            "coop_members": 210,
            "founders": 1200,
        },
    )
    services.record_create(
        user=world.users.province,
        kind=KINDS["vung-nguyen-lieu"],
        data={
            "product": world.products.mien,
            "standard": "organic",
            "area_ha": Decimal("7"),
            "valid_from": D(2024, 1, 1),
            "valid_until": D(2026, 1, 1),
        },
    )
    return world


def _text_of(docx_bytes: bytes) -> str:
    document = Document(io.BytesIO(docx_bytes))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_job_produces_three_files_equal_to_the_dashboard(reported, tmp_path):
    world = reported
    job = reports.job_create(user=world.users.province, province=world.places.bac_kan, year=2024)
    assert reports.job_run_next() == job
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.progress == 100 and job.attempts == 1
    assert reports.job_run_next() is None  # nothing left to claim
    day = D(2024, 12, 31)
    stats = unit_stats(world.places.bac_kan, day)
    kpis = support_kpis(world.places.bac_kan, day)
    assert job.figures["stats"] == stats and job.figures["kpis"] == kpis
    assert stats["recognized_total"] == 2 and stats["by_star"] == {"3": 1, "4": 1, "5": 0}

    docx = job.docx.read()
    text = _text_of(docx)
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP NĂM 2024" in text
    assert "Sản phẩm OCOP (3–5 sao) | 2" in text
    assert "4 sao | 1" in text
    assert "Giấy chứng nhận hết hạn trong 180 ngày tới" in text
    assert "Huyện Ba Bể" in text and "Huyện Chợ Đồn" in text
    assert "Học viên là cán bộ | 295" in text and "Tổng số học viên | 1.705" in text
    assert "Sản phẩm có vùng nguyên liệu được chứng nhận | 1" in text
    assert len(Document(io.BytesIO(docx)).inline_shapes) >= 2  # charts

    pdf = job.pdf.read()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        path = tmp_path / "report.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(
            ["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0 and not result.stderr.strip(), result.stderr
        assert list(tmp_path.glob("page*.png"))

    workbook = load_workbook(io.BytesIO(job.xlsx.read()))
    summary = workbook.worksheets[0]
    assert summary["A1"].value == "Chỉ số" and summary["B2"].value == stats["recognized_total"]
    assert any("Hỗ trợ" in name for name in workbook.sheetnames)
    # Files live outside the public media root.
    assert "-private" in job.docx.path


def test_report_pages_progress_and_downloads_are_scoped(client, reported):
    world = reported
    client.force_login(world.users.province)
    response = client.post(reverse("support:reports"), {"unit": world.places.thai_nguyen.pk, "year": 2025})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Đang chờ" in page and 'hx-trigger="every 1s"' in page
    reports.job_run_next(pk=job.pk)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Tải DOCX" in page and "every 1s" not in page and "31/12/2025" in page
    download = client.get(reverse("support:report_file", args=[job.pk, "docx"]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    client.force_login(world.users.province_legacy)  # Bắc Kạn's office does not see Thái Nguyên's report
    assert client.get(job.get_absolute_url()).status_code == 404
    client.force_login(world.users.outsider)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("support:report_file", args=[job.pk, "pdf"])).status_code == 404
    response = client.post(reverse("support:reports"), {"unit": world.places.bac_kan.pk, "year": 2025})
    assert response.status_code == 200 and ReportJob.objects.count() == 1  # not among the choices


def test_stale_job_is_retried_then_failed(reported):
    world = reported
    job = reports.job_create(user=world.users.admin, province=world.places.bac_kan, year=2024)
    old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    ReportJob.objects.filter(pk=job.pk).update(status="running", updated_at=old, attempts=1)
    claimed = reports.job_claim()
    assert claimed.pk == job.pk and claimed.attempts == 2
    ReportJob.objects.filter(pk=job.pk).update(status="running", updated_at=old, attempts=3)
    assert reports.job_claim() is None
    assert ReportJob.objects.get().status == "failed"


def test_worker_command_drains_the_report_queue(reported):
    from django.core.management import call_command

    world = reported
    first = reports.job_create(user=world.users.admin, province=world.places.bac_kan, year=2023)
    second = reports.job_create(user=world.users.admin, province=world.places.thai_nguyen, year=2025)
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert set(ReportJob.objects.values_list("status", flat=True)) == {"done"}
    assert f"#{first.pk}" in out.getvalue() and f"#{second.pk}" in out.getvalue()
