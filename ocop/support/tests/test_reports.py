"""Annual report end to end: the official structure (heading block, parts I–IV, annexes), figures equal to the
screens' and written out in words against hand-counted data, the officers' narrative saved and reused,
generation as a background job with private files, scoping."""

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

from ocop.certification.services.events import event_record
from ocop.core import jobs
from ocop.core.models import Job
from ocop.support import reports, services
from ocop.support.kinds import KINDS
from ocop.support.models import AnnualReport
from ocop.support.report_text import result_lines
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


def _generate(world, *, province, year, **narrative) -> AnnualReport:
    report = reports.report_open(user=world.users.admin, province=province, year=year)
    report = reports.report_update(
        user=world.users.admin,
        pk=report.pk,
        data={"number": "215/BC-UBND", "place": "Thái Nguyên", "report_date": D(2025, 1, 10), **narrative},
    )
    reports.report_generate(user=world.users.admin, report=report)
    assert jobs.run_one()
    report.refresh_from_db()
    assert report.job.status == Job.Status.DONE, report.job.error
    return report


def _file(report: AnnualReport, key: str) -> bytes:
    handle, _name = jobs.open_file(report.job, key)
    return handle.read()


def test_report_has_the_official_structure_and_the_dashboards_figures(reported, tmp_path):
    world = reported
    report = _generate(
        world,
        province=world.places.bac_kan,
        year=2024,
        direction="Ban hành Kế hoạch số 45/KH-UBND triển khai Chương trình OCOP năm 2024.",
        comment_evaluation="Chất lượng hồ sơ được nâng lên rõ rệt.",
        achievements="Hoàn thành vượt chỉ tiêu sản phẩm OCOP.",
        shortcomings="Một số chủ thể chưa duy trì tem truy xuất.",
        causes="Kinh phí hỗ trợ còn hạn chế.",
        next_year_tasks="Tập trung nâng hạng sản phẩm 4 sao.",
    )
    day = D(2024, 12, 31)
    figures = report.job.result["figures"]
    assert figures["stats"] == unit_stats(world.places.bac_kan, day)
    assert figures["kpis"] == support_kpis(world.places.bac_kan, day)
    text = _text_of(_file(report, "docx"))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 215/BC-UBND",
        "Thái Nguyên, ngày 10 tháng 01 năm 2025",
        "Kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) năm 2024",
        "I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN",
        "Ban hành Kế hoạch số 45/KH-UBND",
        "II. KẾT QUẢ THỰC HIỆN",
        "1. Đánh giá, phân hạng sản phẩm OCOP",
        "Năm 2024: công nhận mới 1 sản phẩm, nâng hạng 1, công nhận lại 0, thu hồi 0.",
        "Chất lượng hồ sơ được nâng lên rõ rệt.",
        "III. ĐÁNH GIÁ CHUNG",
        "Một số chủ thể chưa duy trì tem truy xuất.",
        "IV. NHIỆM VỤ, GIẢI PHÁP NĂM 2025",
        "Tập trung nâng hạng sản phẩm 4 sao.",
        "Phụ lục I. Danh sách sản phẩm OCOP được công nhận năm 2024",
        "Miến dong Nam Mẫu | HTX Miến dong Nam Mẫu | Xã Nam Mẫu | 4 | Nâng hạng",
        "Chè Shan tuyết Đồng Thắng | HTX Đồng Thắng | Xã Đồng Thắng | 3 | Công nhận mới",
        "Học viên là cán bộ | 295",
        "Huyện Ba Bể",
    ):
        assert expected in text, expected
    assert "Miến dong Nam Mẫu | HTX Miến dong Nam Mẫu | Xã Nam Mẫu | 3" not in text  # the 2022 line
    pdf = _file(report, "pdf")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "report.pdf"
        path.write_bytes(pdf)
        done = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=120, check=False
        )
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in done.stdout and "Phụ lục I" in done.stdout
    workbook = load_workbook(io.BytesIO(_file(report, "xlsx")))
    annex = workbook.worksheets[0]
    assert annex["B2"].value == "Miến dong Nam Mẫu" or annex["B3"].value == "Miến dong Nam Mẫu"
    assert any("Hỗ trợ" in name for name in workbook.sheetnames)
    assert "-private" in str(jobs.private_storage().location)


def test_result_lines_hand_counted(reported):
    """Bắc Kạn, 2024: Miến upgraded 4★ (2024-05-01), Chè new 3★ (2024-08-01); 1 course of 1,705 trainees;
    1 idea registered and accepted; 1 grant of 20,000,000; 1 inspection planned and done (complies);
    Miến's batch with active stamps: 1 of 2 products in force."""
    from ocop.funding import services as funding
    from ocop.ideas import services as ideas
    from ocop.inspections import services as inspections
    from ocop.products.models import ProductSet
    from ocop.traceability import services as stamps
    from ocop.traceability.models import Stamp

    world = reported
    admin = world.users.admin
    ideas.idea_register(
        user=admin,
        data={
            "entity": world.entities.nam_mau,
            "product_name": "Miến ngũ sắc",
            "year": 2024,
            "description": "x",
            "product_set": ProductSet.objects.filter(number=7).first(),
            "status": "accepted",
            "accepted_on": D(2024, 6, 1),
        },
        today=D(2024, 12, 31),
    )
    policy = funding.policy_save(
        user=admin,
        province=world.places.bac_kan,
        data={
            "number": "12/2021/NQ-HĐND",
            "title": "Hỗ trợ OCOP",
            "issued_on": D(2021, 1, 1),
            "valid_from": D(2021, 1, 1),
        },
    )
    item = funding.policy_item_add(
        user=admin, policy=policy, content="Bao bì", rate_percent=Decimal(50), cap_vnd=30_000_000
    )
    funding.grant_create(
        user=admin,
        data={
            "item": item,
            "entity": world.entities.nam_mau,
            "cost_vnd": 40_000_000,
            "amount_vnd": 20_000_000,
            "paid_on": D(2024, 7, 1),
            "purpose": "Bao bì",
        },
    )
    plan = inspections.plan_save(user=admin, province=world.places.bac_kan, year=2024, title="Kiểm tra 2024")
    item_check = inspections.inspection_plan_product(
        user=admin, plan=plan, product=world.products.mien, due_date=D(2024, 10, 1)
    )
    ok = {
        n: "ok"
        for n in (
            "raw_materials",
            "food_safety",
            "label_packaging",
            "qr_stamps",
            "trademark",
            "star_criteria",
        )
    }
    inspections.inspection_record(
        user=admin,
        pk=item_check.pk,
        today=D(2024, 12, 31),
        data={"inspected_on": D(2024, 9, 20), **ok, "verdict": "complies"},
    )
    batch = stamps.batch_create(user=None, product=world.products.mien, lot="L1")
    stamps.stamps_issue(user=None, batch=batch, count=2, active=True, base_url="")
    from django.utils import timezone

    Stamp.objects.update(activated_at=timezone.make_aware(dt.datetime(2024, 11, 1)))
    figures = reports.report_figures(world.places.bac_kan, 2024, D(2024, 12, 31))
    lines = result_lines(figures)
    assert (
        lines["evaluation"][0]
        == "Năm 2024: công nhận mới 1 sản phẩm, nâng hạng 1, công nhận lại 0, thu hồi 0."
    )
    assert lines["evaluation"][1].startswith(
        "Tính đến ngày 31/12/2024: 2 sản phẩm OCOP (3 sao: 1; 4 sao: 1; 5 sao: 0) của 2 chủ thể, "
        "2 sản phẩm còn hiệu lực chứng nhận, 0 hết hạn chưa được công nhận lại; 2/108 xã, phường"
    )
    assert lines["support"][0].startswith("Tập huấn: 1 lớp, 1.705 học viên (cán bộ 295,")
    assert lines["trade"][1] == "Tem điện tử: 1/2 sản phẩm còn hiệu lực có lô tem đang hoạt động (50,0%)."
    assert lines["inspections"][0] == (
        "Kế hoạch kiểm tra năm 2024: 1 sản phẩm; đã kiểm tra 1 (duy trì đạt yêu cầu 1, phải khắc phục 0, "
        "vi phạm nghiêm trọng 0); 0 quyết định thu hồi sau kiểm tra; 0 lượt quá hạn chưa kiểm tra."
    )
    assert lines["inspections"][1] == "Tỷ lệ sản phẩm còn hiệu lực được kiểm tra trong năm: 1/2 (50,0%)."
    assert lines["ideas"] == [
        "Năm 2024: 1 ý tưởng sản phẩm được đăng ký, 1 ý tưởng được chấp nhận, "
        "0 phương án kinh doanh đã nhận, 0 ý tưởng đã thành sản phẩm OCOP."
    ]
    assert lines["funding"] == [
        "Năm 2024: chi hỗ trợ 20.000.000 đồng cho 1 chủ thể (1 khoản).",
        "Theo 12/2021/NQ-HĐND: 20.000.000 đồng (1 khoản).",
    ]


def test_narrative_is_kept_and_edited_before_generating_again(reported):
    world = reported
    report = _generate(world, province=world.places.bac_kan, year=2024, achievements="Bản nháp thứ nhất.")
    first_job = report.job
    assert "Bản nháp thứ nhất." in _text_of(_file(report, "docx"))
    reports.report_update(user=world.users.admin, pk=report.pk, data={"achievements": "Bản đã sửa."})
    reports.report_generate(user=world.users.admin, report=report)
    jobs.run_one()
    report.refresh_from_db()
    assert report.job != first_job and report.achievements == "Bản đã sửa."
    text = _text_of(_file(report, "docx"))
    assert "Bản đã sửa." in text and "Bản nháp thứ nhất." not in text


def test_report_pages_progress_and_downloads_are_scoped(client, reported):
    world = reported
    client.force_login(world.users.province)
    response = client.post(reverse("support:reports"), {"unit": world.places.thai_nguyen.pk, "year": 2025})
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    form = client.get(report.get_absolute_url()).content.decode()
    assert "Cơ quan ban hành" in form and "I. Công tác chỉ đạo, tổ chức thực hiện" in form
    data = {
        name: getattr(report, name) or ""
        for name in (*AnnualReport.HEADING_FIELDS, *AnnualReport.NARRATIVE_FIELDS)
    }
    data.update(
        {
            "report_date": "2025-12-20",
            "number": "99/BC-UBND",
            "direction": "Chỉ đạo sát sao.",
            "generate": "1",
        }
    )
    assert client.post(report.get_absolute_url(), data).status_code == 302
    page = client.get(report.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Đang chờ" in page and 'hx-trigger="every 1s"' in page
    jobs.run_one()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Tải DOCX" in page and "every 1s" not in page and "Năm 2025: công nhận mới" in page
    download = client.get(reverse("support:report_file", args=[report.pk, "docx"]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    client.force_login(world.users.province_legacy)  # Bắc Kạn's office does not see Thái Nguyên's report
    assert client.get(report.get_absolute_url()).status_code == 404
    client.force_login(world.users.outsider)
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("support:report_file", args=[report.pk, "pdf"])).status_code == 404
    assert client.post(report.get_absolute_url(), data).status_code == 404
    response = client.post(reverse("support:reports"), {"unit": world.places.bac_kan.pk, "year": 2025})
    assert response.status_code == 200 and AnnualReport.objects.count() == 1  # not among the choices
    client.force_login(world.users.district)  # sees no form to write a province's report
    assert client.post(
        reverse("support:reports"), {"unit": world.places.thai_nguyen.pk, "year": 2024}
    ).status_code in (200, 404)
    assert AnnualReport.objects.count() == 1
