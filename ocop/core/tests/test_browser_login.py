import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LOGIN_PATH = "/tai-khoan/dang-nhap/"


def test_login_page_shows_heading_and_form(page, live_server):
    response = page.goto(live_server.url + LOGIN_PATH)
    assert response is not None and response.status == 200
    assert page.title().strip(), "trang đăng nhập cần có <title>"
    expect(page.get_by_role("heading", name=re.compile("Đăng nhập", re.IGNORECASE)).first).to_be_visible()
    expect(page.locator("input[type=password]")).to_have_count(1)


def test_login_page_fits_a_phone(phone_page, live_server):
    phone_page.goto(live_server.url + LOGIN_PATH)
    heading = phone_page.get_by_role("heading", name=re.compile("Đăng nhập", re.IGNORECASE)).first
    expect(heading).to_be_visible()
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"trang rộng hơn màn hình điện thoại {overflow}px"
