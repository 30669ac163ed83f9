"""From the staff home's queue to the tabbed lists it counts (feedback, stamp alerts), on a phone and a
desktop: the list opens on the tab with the waiting rows and every tab shows its count."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ocop import testing
from ocop.portal.models import Feedback
from ocop.traceability.choices import AlertKind
from ocop.traceability.models import StampAlert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_province_officer_follows_feedback_and_alerts_from_the_queue(
    request, fixture, live_server, world, axe
):
    Feedback.objects.create(product=world.products.mien, kind="quality", message="Bao bì rách.")
    Feedback.objects.create(
        product=world.products.keo, kind="quality", message="Hà Tĩnh, không phải của tỉnh."
    )
    StampAlert.objects.create(kind=AlertKind.TOO_MANY_SCANS, key="b1", product=world.products.mien)
    page = request.getfixturevalue(fixture)
    testing.browser_login(page, live_server.url, world.users.province.username)
    page.goto(f"{live_server.url}/quan-ly/")
    queue = page.get_by_test_id("queue")
    expect(queue.get_by_role("link", name="Phản ánh của người dân chờ trả lời")).to_contain_text("1")
    queue.get_by_role("link", name="Cảnh báo tem chưa xử lý").click()
    expect(page.locator(".tabs a[aria-current=page]")).to_contain_text("Chưa xử lý")
    expect(page.locator(".tabs a[data-tab=all]")).to_contain_text("1")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=f"test-artifacts/tabs-alerts-{fixture}.png", full_page=True)
    axe(page)
    page.goto(f"{live_server.url}/quan-ly/phan-anh/")
    expect(page.locator(".tabs a[aria-current=page]")).to_contain_text("Chờ xử lý")
    expect(page.locator(".tabs a[data-tab=tat-ca]")).to_contain_text("1")  # not Hà Tĩnh's report
    expect(page.get_by_text("Bao bì rách.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=f"test-artifacts/tabs-feedback-{fixture}.png", full_page=True)
    axe(page)
