"""Main path of the register in a browser: sign in, search without diacritics, open, edit, add a product."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ocop.products.models import Product
from ocop.testing import PASSWORD, totp_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    totp_step(page, username)
    page.wait_for_url(f"{base_url}/quan-ly/")


def test_officer_searches_opens_and_edits_entity_then_adds_product(page, live_server, world):
    _login(page, live_server.url, "tinh-thainguyen")
    page.get_by_role("link", name="Chủ thể", exact=True).click()
    assert page.get_by_role("link", name="HTX Đồng Thắng").is_visible()
    assert page.get_by_text("Công ty Kẹo cu đơ Hà Tĩnh").count() == 0  # outside the province
    page.get_by_label("Tìm kiếm").fill("mien dong nam mau")
    # (no wait_for_function: its string predicate is an eval, which the CSP forbids)
    expect(page.locator("#results")).not_to_contain_text("HTX Đồng Thắng")
    page.get_by_role("link", name="HTX Miến dong Nam Mẫu").click()
    page.get_by_role("link", name="Sửa thông tin").click()
    page.get_by_label("Địa chỉ").fill("Thôn Pác Ngòi")
    page.get_by_label("Số điện thoại").fill("09ab")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("p.error", has_text="Số điện thoại chỉ gồm chữ số")).to_be_visible()
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_text("Đã lưu thay đổi.").is_visible()
    assert page.get_by_text("Thôn Pác Ngòi").is_visible()
    page.get_by_role("link", name="+ Thêm sản phẩm cho chủ thể này").click()
    page.get_by_label("Tên sản phẩm").fill("Bánh đa Nam Mẫu")
    page.get_by_label("Bộ sản phẩm (Quyết định 148)").select_option(label="I · 6. Chế biến từ gạo, ngũ cốc")
    page.get_by_role("button", name="Lưu").click()
    assert page.get_by_role("heading", name="Bánh đa Nam Mẫu").is_visible()
    product = Product.objects.get(name="Bánh đa Nam Mẫu")
    assert product.entity == world.entities.nam_mau and product.group_code == "I"


def test_phone_menu_and_product_list(phone_page, live_server, world):
    page = phone_page
    _login(page, live_server.url, "htx-nammau")
    nav_link = page.get_by_role("link", name="Sản phẩm", exact=True)
    assert not nav_link.is_visible()
    page.get_by_role("button", name="Mở menu").click()
    nav_link.click()
    assert page.get_by_role("link", name="Miến dong Nam Mẫu").is_visible()
    assert page.get_by_text("Kẹo cu đơ").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"trang rộng {width}px trên điện thoại"
