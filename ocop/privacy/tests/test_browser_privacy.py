"""Browser main path: the admin finds a person by phone on a phone-sized screen and erases their data."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ocop.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_finds_and_erases_a_person(phone_page, live_server, world):
    page = phone_page
    browser_login(page, live_server.url, "quantri")
    page.goto(f"{live_server.url}/quan-ly/du-lieu-ca-nhan/")
    page.get_by_label("Họ tên, số điện thoại, số CCCD hoặc thư điện tử").fill("0912345678")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_text("006123456789")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path="/tmp/security/privacy-phone.png", full_page=True)
    page.get_by_label("Tôi xác nhận xoá theo yêu cầu của chủ thể dữ liệu").check()
    page.get_by_role("button", name="Xoá dữ liệu cá nhân").click()
    expect(page.get_by_text("Đã xoá (ẩn danh hoá) dữ liệu cá nhân")).to_be_visible()
    world.entities.nam_mau.refresh_from_db()
    assert world.entities.nam_mau.phone == ""
