"""Browser main path: a commune officer records the representative's consent on a phone, and the public
entity page then shows the phone as a tel: link."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ocop.portal.tests.conftest import portal  # noqa: F401  (fixture: recognised products)
from ocop.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/h-consent-shots")


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"trang tràn ngang {overflow}px"


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        _fits(page)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


def test_officer_records_consent_then_portal_shows_phone(phone_page, live_server, portal):  # noqa: F811
    page = phone_page
    csp_errors: list[str] = []
    page.on(
        "console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    entity = portal.world.entities.nam_mau
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server.url, "xa-nammau")

    page.goto(live_server.url + entity.get_absolute_url())
    _shoot(page, "entity-detail")
    page.get_by_role("link", name="Đồng ý công khai thông tin liên hệ").click()
    expect(page.get_by_role("heading", name="Đồng ý công khai thông tin liên hệ")).to_be_visible()
    expect(page.get_by_text("Chưa có đồng ý")).to_be_visible()
    _shoot(page, "consent-form")

    page.get_by_label("Đồng ý công khai số điện thoại liên hệ").check()
    page.get_by_role("button", name="Lưu đồng ý").click()
    # an officer records on the producer's behalf
    expect(page.locator("p.error", has_text="phải ghi căn cứ")).to_be_visible()
    page.get_by_label("Căn cứ (số phiếu đồng ý, văn bản có chữ ký)").fill("Phiếu đồng ý số 07/2026")
    page.get_by_role("button", name="Lưu đồng ý").click()
    expect(page.get_by_text("Đã ghi nhận đồng ý công khai thông tin liên hệ.")).to_be_visible()
    expect(page.get_by_text("Căn cứ: Phiếu đồng ý số 07/2026")).to_be_visible()
    _shoot(page, "consent-recorded")

    page.get_by_role("link", name="Xem trang công khai của chủ thể").click()
    phone_link = page.get_by_role("link", name="0912345678")
    expect(phone_link).to_be_visible()
    assert phone_link.get_attribute("href") == "tel:0912345678"
    _shoot(page, "portal-entity")
    assert csp_errors == []
