"""Main path in a browser: a province officer types in a 2024 district decision from the product page, is
asked once, and the history and certificate list name the abolished district as the issuer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ocop.certification.models import RecognitionEvent
from ocop.evaluation.tests.browser import shoot
from ocop.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_officer_types_in_a_district_decision(page, live_server, world, axe):
    base, product = live_server.url, world.products.mien
    browser_login(page, base, "tinh-thainguyen")
    page.goto(f"{base}{product.get_absolute_url()}")
    page.get_by_role("link", name="Ghi quyết định đã ban hành").click()
    page.get_by_label("Hạng sao").select_option("3")
    page.get_by_label("Số quyết định").fill("15/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("2024-05-02")
    page.get_by_label("Người ký").fill("Hoàng Văn B")
    shoot(page, "ghi-quyet-dinh", axe)
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(page.get_by_test_id("confirm-lines")).to_contain_text("Ủy ban nhân dân huyện Ba Bể")
    shoot(page, "ghi-quyet-dinh-xac-nhan", axe)
    page.get_by_role("button", name="Xác nhận ghi quyết định").click()
    expect(page.locator(".timeline")).to_contain_text("15/QĐ-UBND")
    shoot(page, "san-pham-lich-su", axe)
    assert RecognitionEvent.objects.get().issuing_level == "district"
    page.goto(f"{base}/chung-nhan/?trang_thai=in_force")
    expect(page.locator("table")).to_contain_text("UBND huyện Ba Bể")
    shoot(page, "giay-chung-nhan-huyen", axe)
