"""Main path in a browser: a province officer revokes a product's recognition from its page, on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from ocop.certification.models import Certificate
from ocop.certification.services.events import event_record
from ocop.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("sized", ["phone_page", "page"], ids=["390", "1366"])
def test_officer_revokes_a_product_with_a_reason(sized, request, live_server, world):
    page, base = request.getfixturevalue(sized), live_server.url
    product = world.products.mien
    event_record(product=product, stars=4, decision_date=dt.date(2025, 3, 1), decision_number="1/QĐ")
    browser_login(page, base, "tinh-thainguyen")
    page.goto(f"{base}{product.get_absolute_url()}")
    page.get_by_role("link", name="Thu hồi công nhận").click()
    page.get_by_role("button", name="Ghi nhận quyết định thu hồi").click()
    expect(page.locator(".error-summary")).to_be_focused()
    page.get_by_label("Số quyết định thu hồi").fill("77/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("2026-05-04")
    page.get_by_label("Lý do thu hồi").fill("Chủ thể ngừng sản xuất")
    page.get_by_role("button", name="Ghi nhận quyết định thu hồi").click()
    # Asked once, saying what will happen: nothing is recorded before the confirmation.
    lines = page.get_by_test_id("confirm-lines")
    expect(lines).to_contain_text("Chấm dứt hiệu lực từ ngày 04/05/2026: giấy chứng nhận")
    expect(lines).to_contain_text("Lý do ghi trên quyết định: Chủ thể ngừng sản xuất")
    assert Certificate.objects.get(product=product).ended_on is None
    page.screenshot(path=f"test-artifacts/screens/revocation-confirm-{sized}.png", full_page=True)
    page.get_by_role("button", name="Xác nhận thu hồi").click()
    expect(page.locator(".timeline")).to_contain_text("Lý do: Chủ thể ngừng sản xuất")
    assert Certificate.objects.get(product=product).ended_on == dt.date(2026, 5, 4)
    page.goto(f"{base}/chung-nhan/thu-hoi/")
    expect(page.get_by_role("link", name="Tải quyết định (PDF)")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"trang rộng {width}px"


@pytest.mark.parametrize("sized", ["phone_page", "page"], ids=["390", "1366"])
def test_stars_are_read_out_and_the_skip_link_leads_to_the_content(sized, request, live_server, world):
    page, base = request.getfixturevalue(sized), live_server.url
    product = world.products.mien
    event_record(product=product, stars=4, decision_date=dt.date(2025, 3, 1), decision_number="1/QĐ")
    browser_login(page, base, "tinh-thainguyen")
    page.goto(f"{base}{product.get_absolute_url()}")
    # The glyphs "★★★★" are drawn; a screen reader says "4 sao".
    expect(page.get_by_role("img", name="4 sao").first).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua điều hướng")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
