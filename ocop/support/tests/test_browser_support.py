"""Main paths in a real browser: the officer walks every record list, adds a point of sale, imports nothing
bad, reads the KPIs and generates the annual report; the pages fit a phone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ocop.certification.services.events import event_record
from ocop.support.kinds import KINDS
from ocop.support.models import AnnualReport, PointOfSale
from ocop.testing import PASSWORD, totp_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/support")


def _login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    totp_step(page, username)
    page.wait_for_load_state()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_officer_records_kpis_and_report(page, live_server, world, settings, tmp_path, axe):
    settings.MEDIA_ROOT = tmp_path / "media"
    event_record(product=world.products.mien, stars=4, decision_date=dt.date(2024, 5, 1))
    base = live_server.url
    _login(page, base, "tinh-thainguyen")
    page.get_by_role("link", name="Hỗ trợ", exact=True).click()
    expect(page.get_by_role("heading", name="Hỗ trợ và xúc tiến thương mại OCOP")).to_be_visible()
    _shot(page, "desktop-home")
    for kind in KINDS.values():
        page.goto(f"{base}/ho-tro/{kind.slug}/")
        expect(page.get_by_role("heading", name=kind.title, exact=True)).to_be_visible()
        expect(page.get_by_text("Chưa có bản ghi nào.")).to_be_visible()

    page.goto(f"{base}/ho-tro/diem-ban/")
    page.get_by_role("link", name="+ Thêm điểm bán").click()
    page.locator("#id_name").fill("Điểm bán OCOP hồ Ba Bể")
    page.locator("#id_commune").select_option(str(world.places.nam_mau_successor.pk))
    page.locator("#id_address").fill("Bờ hồ Ba Bể")
    page.locator("#id_opened_on").fill("2024-03-01")
    page.locator("#id_closed_on").fill("2024-01-01")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("p.error", has_text="Ngày ngừng hoạt động phải sau ngày hoạt động.")).to_be_visible()
    assert PointOfSale.objects.count() == 0
    page.locator("#id_closed_on").fill("")
    page.locator("#id_products").select_option(label="Miến dong Nam Mẫu")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu điểm bán")).to_be_visible()
    expect(page.get_by_role("heading", name="Điểm bán OCOP hồ Ba Bể")).to_be_visible()
    _shot(page, "desktop-detail")
    page.get_by_role("link", name="‹ Điểm bán và showroom").click()
    expect(page.get_by_role("link", name="Điểm bán OCOP hồ Ba Bể")).to_be_visible()
    _shot(page, "desktop-list")

    page.goto(f"{base}/ho-tro/chi-so/")
    expect(page.get_by_role("heading", name="Chỉ số hỗ trợ OCOP — Tỉnh Thái Nguyên")).to_be_visible()
    row = page.locator("#kpi-table tr", has_text="Điểm bán đang hoạt động")
    expect(row.locator("td").nth(1)).to_have_text("1")
    _shot(page, "desktop-kpis")

    page.get_by_role("link", name="Tạo báo cáo năm").click()
    page.locator("#id_year").fill("2025")
    page.get_by_role("button", name="Mở báo cáo").click()
    page.locator("#id_number").fill("215/BC-UBND")
    page.locator("#id_direction").fill("UBND tỉnh ban hành kế hoạch thực hiện Chương trình OCOP năm 2025.")
    page.get_by_role("button", name="Lưu và tạo báo cáo").click()
    expect(page.get_by_role("link", name="Tải DOCX")).to_be_visible(timeout=60_000)
    page.reload()  # the figures in words come with the page, once the job is done
    expect(page.get_by_text("điểm giới thiệu và bán sản phẩm đang hoạt động").first).to_be_visible()
    axe(page)
    _shot(page, "desktop-report")
    report = AnnualReport.objects.get()
    assert report.job.status == "done" and report.job.result["figures"]["kpis"]["points_of_sale"] == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_support_pages_fit_a_phone(phone_page, live_server, world):
    page, base = phone_page, live_server.url
    _login(page, base, "tinh-thainguyen")
    for path, name in [
        ("/ho-tro/", "phone-home"),
        ("/ho-tro/thuong-mai-dien-tu/", "phone-list"),
        ("/ho-tro/chi-so/", "phone-kpis"),
        ("/ho-tro/bao-cao/", "phone-reports"),
        ("/ho-tro/so-huu-tri-tue/them/", "phone-form"),
        ("/ho-tro/doanh-thu/nhap/", "phone-import"),
        (f"/ho-tro/nhom-uu-tien/?unit={world.places.thai_nguyen.pk}", "phone-priority"),
    ]:
        page.goto(f"{base}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        _shot(page, name)
