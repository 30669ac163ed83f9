"""Main paths in a browser: a province officer records a policy and a grant (one refused over its rate) and
an idea with its business plan; the targets page sets a commune target. axe on each page, phone width too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ocop.evaluation.models import ProductIdea
from ocop.funding.models import Grant
from ocop.geography.labels import unit_label
from ocop.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/funding")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_policy_grant_idea_and_target(page, live_server, world, axe):
    base = live_server.url
    today = dt.date.today()
    browser_login(page, base, "tinh-thainguyen")
    page.goto(f"{base}/kinh-phi/chinh-sach/them/")
    page.locator("#id_number").fill("08/2021/NQ-HĐND")
    page.locator("#id_title").fill("Chính sách hỗ trợ phát triển sản phẩm OCOP")
    page.locator("#id_issued_on").fill("2021-07-01")
    page.locator("#id_valid_from").fill("2021-07-15")
    axe(page)
    page.get_by_role("button", name="Lưu").click()
    page.locator("#id_content").fill("Thiết kế bao bì, nhãn mác")
    page.locator("#id_rate_percent").fill("50")
    page.locator("#id_cap_vnd").fill("30000000")
    page.get_by_role("button", name="Thêm").click()
    expect(page.get_by_role("cell", name="Thiết kế bao bì, nhãn mác")).to_be_visible()
    axe(page)
    _shot(page, "policy-desktop")

    page.goto(f"{base}/kinh-phi/them/")
    page.locator("#id_item").select_option(index=1)
    page.locator("#id_entity").select_option(label="HTX Miến dong Nam Mẫu")
    page.locator("#id_cost_vnd").fill("10000000")
    page.locator("#id_amount_vnd").fill("6000000")
    page.locator("#id_paid_on").fill(today.isoformat())
    page.locator("#id_purpose").fill("Bao bì miến dong")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("p.error", has_text="Vượt mức hỗ trợ: tối đa 50 %")).to_be_visible()
    assert not Grant.objects.exists()
    axe(page)
    page.locator("#id_amount_vnd").fill("5000000")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu khoản hỗ trợ.")).to_be_visible()
    page.goto(f"{base}/kinh-phi/")
    expect(page.get_by_text("5.000.000").first).to_be_visible()
    axe(page)
    _shot(page, "grants-desktop")

    page.goto(f"{base}/y-tuong/them/")
    page.locator("#id_entity").select_option(label="HTX Miến dong Nam Mẫu")
    page.locator("#id_product_name").fill("Miến dong ngũ sắc")
    page.locator("#id_product_set").select_option(index=1)
    page.locator("#id_year").fill(str(today.year))
    page.locator("#id_description").fill("Miến dong nhuộm màu từ lá cây rừng")
    page.locator("#id_status").select_option("accepted")
    page.locator("#id_accepted_on").fill(today.isoformat())
    page.locator("#id_business_plan_on").fill(today.isoformat())
    page.locator("#id_business_plan").fill("Sản xuất 5 tấn mỗi năm, bán qua bưu điện")
    axe(page)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã có phương án kinh doanh")).to_be_visible()
    assert ProductIdea.objects.get().business_plan_on == today
    axe(page)
    page.goto(f"{base}/y-tuong/")
    axe(page)
    _shot(page, "ideas-desktop")

    page.goto(f"{base}/thong-ke/chi-tieu/")
    page.locator("#id_place").select_option(label=unit_label(world.places.nam_mau_successor))
    page.locator("#id_metric").select_option("points_of_sale")
    page.locator("#id_value").fill("2")
    page.locator("#id_start").fill(f"{today.year}-01-01")
    page.locator("#id_deadline").fill(f"{today.year}-12-31")
    page.get_by_role("button", name="Lưu chỉ tiêu").click()
    expect(page.get_by_text("Đã đặt chỉ tiêu.")).to_be_visible()
    expect(page.get_by_text(f"— {world.places.nam_mau_successor.name}")).to_be_visible()
    axe(page)
    _shot(page, "targets-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in (
        ("/kinh-phi/", "grants"),
        ("/y-tuong/", "ideas"),
        ("/thong-ke/chi-tieu/", "targets"),
        ("/thong-ke/", "dashboard"),
        ("/kiem-tra/", "inspections"),
    ):
        page.goto(f"{base}{path}")
        _shot(page, f"{name}-phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        axe(page)
