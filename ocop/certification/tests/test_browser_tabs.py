"""The certificate list opens on the tab where certificates wait, each tab showing its count (phone and
desktop)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ocop import testing
from ocop.certification.services.events import event_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_certificates_open_on_the_lapsed_tab_when_nothing_expires_soon(
    request, fixture, live_server, world, axe
):
    event_record(
        product=world.products.che, stars=3, decision_date=dt.date(2022, 1, 10), decision_number="02/QĐ"
    )
    page = request.getfixturevalue(fixture)
    testing.browser_login(page, live_server.url, world.users.province.username)
    page.goto(f"{live_server.url}{reverse('certification:certificate_list')}?ngay=2026-11-23")
    current = page.locator(".tabs a[aria-current=page]")
    expect(current).to_contain_text("Hết hạn chưa công nhận lại")
    expect(current).to_contain_text("1")
    expect(page.locator(".tabs a[data-tab=expiring]")).to_contain_text("0")
    expect(page.get_by_role("link", name="Chè Shan tuyết Đồng Thắng")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=f"test-artifacts/certificate-tabs-{fixture}.png", full_page=True)
    axe(page)
