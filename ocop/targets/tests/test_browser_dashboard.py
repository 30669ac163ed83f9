"""Main path of the statistics pages in a real browser: sign in, dashboard as of a date, set a target."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ocop.testing import PASSWORD, totp_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    totp_step(page, username)
    page.wait_for_load_state()


def test_officer_reads_dashboard_changes_date_and_sets_target(page, live_server, history):
    _login(page, live_server.url, "tinh-thainguyen")
    page.get_by_role("link", name="Thống kê", exact=True).click()
    expect(page.get_by_role("heading", name="Thống kê OCOP — Tỉnh Thái Nguyên")).to_be_visible()
    page.get_by_label("Tính đến ngày").fill("2025-12-31")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**as_of=2025-12-31**")
    assert page.locator('[data-stat="recognized_total"]').inner_text() == "5"
    assert page.locator('[data-stat="revoked_total"]').inner_text() == "1"
    assert page.locator("svg.chart").count() == 4  # years, stars, groups, map
    page.locator("section[aria-labelledby=t-communes]").get_by_text(
        "Xem bảng"
    ).click()  # tables are collapsed
    assert page.get_by_role("cell", name="Xã Bạch Thông").first.is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất Excel — Theo xã/phường").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="Chỉ tiêu kế hoạch").first.click()
    page.locator("#id_metric").select_option("recognized_total")
    page.locator("#id_value").fill("8")
    page.locator("#id_start").fill("2021-01-01")
    page.locator("#id_deadline").fill("2025-12-31")
    page.get_by_role("button", name="Lưu chỉ tiêu").click()
    expect(page.get_by_text("Đã đặt chỉ tiêu.")).to_be_visible()
    assert page.locator("[data-actual]").inner_text() == "5"
    expect(page.locator(".target__figures")).to_contain_text("62")


def test_dashboard_fits_a_phone(phone_page, live_server, history):
    page = phone_page
    _login(page, live_server.url, "tinh-backan")
    page.goto(f"{live_server.url}/thong-ke/?as_of=2025-06-30")
    assert page.locator('[data-stat="recognized_total"]').inner_text() == "4"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"trang rộng {width}px trên điện thoại"
