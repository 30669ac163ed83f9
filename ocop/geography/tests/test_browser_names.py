"""One set of names in the browser (phone and desktop): the product list names today's units with the old one
in brackets, and the province picker of the user form lists no two options alike."""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import expect

from ocop import testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_product_list_names_todays_units(request, fixture, live_server, world, axe):
    page = request.getfixturevalue(fixture)
    testing.browser_login(page, live_server.url, world.users.province.username)
    page.goto(f"{live_server.url}/san-pham/")
    row = page.locator("tr", has_text="Miến dong Nam Mẫu")
    expect(row).to_contain_text("Xã Ba Bể (Xã Nam Mẫu cũ)")
    expect(row).to_contain_text("Thái Nguyên (Bắc Kạn cũ)")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=f"test-artifacts/names-products-{fixture}.png", full_page=True)
    axe(page)


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_province_picker_lists_no_two_options_alike(request, fixture, live_server, world, axe):
    page = request.getfixturevalue(fixture)
    testing.browser_login(page, live_server.url, world.users.admin.username)
    page.goto(f"{live_server.url}/tai-khoan/nguoi-dung/them/")
    options = page.get_by_label("Tỉnh/thành phố").locator("option").all_inner_texts()
    assert [label for label, n in Counter(options).items() if n > 1] == []
    assert "Tỉnh Thái Nguyên" in options and "Tỉnh Thái Nguyên (cũ, trước 01/07/2025)" in options
    page.screenshot(path=f"test-artifacts/names-user-form-{fixture}.png", full_page=True)
    axe(page)
