"""One inspection from plan to finding in a real browser, axe on every page, the pages at phone width."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ocop.certification.services.events import event_record
from ocop.inspections.models import Inspection
from ocop.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/inspections")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_plan_to_finding(page, live_server, world, axe, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = dt.date.today()
    event_record(product=world.products.mien, stars=4, decision_date=today - dt.timedelta(days=400))
    base = live_server.url
    browser_login(page, base, "tinh-thainguyen")
    page.get_by_role("link", name="Kiểm tra", exact=True).click()
    expect(page.get_by_role("heading", name="Kiểm tra, giám sát sau công nhận")).to_be_visible()
    axe(page)
    _shot(page, "home-desktop")

    page.get_by_role("link", name="+ Lập kế hoạch").click()
    page.get_by_label("Năm").fill(str(today.year))
    page.get_by_label("Tên kế hoạch").fill(f"Kiểm tra sản phẩm OCOP năm {today.year}")
    page.get_by_label("Số văn bản ban hành kế hoạch").fill("25/KH-UBND")
    axe(page)
    page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.get_by_text("Chưa được kiểm tra trong thời hạn giấy chứng nhận")).to_be_visible()
    page.locator("#id_product").select_option(label="Miến dong Nam Mẫu — HTX Miến dong Nam Mẫu")
    page.locator("#id_due_date").fill(today.isoformat())
    axe(page)
    page.get_by_role("button", name="Thêm vào kế hoạch").click()
    expect(page.get_by_text("Đã thêm sản phẩm vào kế hoạch.")).to_be_visible()
    _shot(page, "plan-desktop")

    page.get_by_role("link", name="Miến dong Nam Mẫu").first.click()
    axe(page)
    page.get_by_role("link", name="Ghi kết quả kiểm tra").click()
    page.locator("#id_inspected_on").fill(today.isoformat())
    page.locator("#id_inspectors").fill("Sở Nông nghiệp và Môi trường")
    groups = ("Nguyên liệu đầu vào", "An toàn thực phẩm", "Mã QR, tem truy xuất", "Nhãn hiệu, sở hữu trí tuệ")
    for group in (*groups, "Tiêu chí xếp hạng sao còn đáp ứng"):
        page.get_by_role("group", name=group).get_by_label("Đạt", exact=True).check()
    page.get_by_role("group", name="Nhãn mác, bao bì").get_by_label("Không đạt").check()
    page.locator("#id_verdict").select_option("complies")
    axe(page)
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.locator("p.error", has_text="kết luận không thể là “đạt”")).to_be_visible()
    page.locator("#id_verdict").select_option("needs_fixing")
    page.locator("#id_findings").fill("Nhãn thiếu hạn sử dụng")
    page.locator("#id_fix_by").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.get_by_text("Đã ghi kết quả kiểm tra.")).to_be_visible()
    expect(page.get_by_text("Phải khắc phục trong thời hạn")).to_be_visible()
    axe(page)
    _shot(page, "finding-desktop")
    inspection = Inspection.objects.get()
    assert inspection.verdict == "needs_fixing" and inspection.label_packaging == "issue"

    page.set_viewport_size({"width": 390, "height": 844})
    axe(page)
    _shot(page, "finding-phone")
    page.goto(f"{base}/kiem-tra/danh-sach/")
    axe(page)
    _shot(page, "list-phone")
