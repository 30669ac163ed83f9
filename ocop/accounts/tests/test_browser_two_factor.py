"""Browser main paths of issue 10: an officer enrols an authenticator app on a phone, then signs in with a
code; the security page creates and revokes an API token. No CSP violation may appear in the console."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from ocop.accounts.models import ApiToken, TotpDevice
from ocop.testing import PASSWORD, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/security"


def _watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations


def test_officer_enrols_on_a_phone_then_signs_in_with_a_code(phone_page, live_server, world):
    page = phone_page
    violations = _watch_csp(page)
    TotpDevice.objects.filter(user=world.users.commune).delete()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("xa-nammau")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Bật xác thực hai bước")).to_be_visible()
    expect(page.locator(".totp-qr svg")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/totp-enrol-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    secret = page.locator("[data-totp-secret]").inner_text().strip()
    page.get_by_label("Mã xác thực").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Đã bật xác thực hai bước")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9a-f]{5}-[0-9a-f]{5}", c) for c in codes)
    page.screenshot(path=f"{SHOTS}/recovery-codes-phone.png", full_page=True)
    page.get_by_role("link", name="Tôi đã lưu mã, tiếp tục").click()
    page.wait_for_url(lambda url: "/tai-khoan/" not in url)
    assert violations == []


def test_security_page_creates_and_revokes_a_token(page, live_server, world):
    violations = _watch_csp(page)
    browser_login(page, live_server.url, "tinh-thainguyen")
    assert "/tai-khoan/" not in page.url
    page.goto(f"{live_server.url}/tai-khoan/bao-mat/")
    page.get_by_label("Tên mã truy cập").fill("Đồng bộ cổng dữ liệu tỉnh")
    page.get_by_role("button", name="Tạo mã truy cập").click()
    token = page.locator("[data-new-token]").inner_text().strip()
    assert token.startswith("ocop_")
    page.screenshot(path=f"{SHOTS}/security-desktop.png", full_page=True)
    # The token works for the API as this officer…
    response = page.request.get(
        f"{live_server.url}/api/v1/entities", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 200
    page.get_by_role("button", name="Thu hồi Đồng bộ cổng dữ liệu tỉnh").click()
    expect(page.get_by_text("Đã thu hồi mã truy cập")).to_be_visible()
    assert ApiToken.objects.get().revoked_at is not None
    anonymous = page.context.browser.new_context()
    try:
        again = anonymous.request.get(
            f"{live_server.url}/api/v1/entities", headers={"Authorization": f"Bearer {token}"}
        )
        assert again.status == 401
    finally:
        anonymous.close()
    assert violations == []


@pytest.mark.parametrize("width", [390, 1366])
def test_officer_replaces_the_device_with_the_current_code(browser, live_server, world, axe, width):
    """Issue 18: replacing a device asks a code of the current one; the new one works at the next login."""
    from ocop.testing import totp_code

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    violations = _watch_csp(page)
    browser_login(page, live_server.url, "tinh-thainguyen")
    page.goto(f"{live_server.url}/tai-khoan/bao-mat/")
    page.get_by_role("link", name="Thay thiết bị xác thực").click()
    expect(page.get_by_role("heading", name="Thay thiết bị xác thực hai bước")).to_be_visible()
    axe(page)
    page.screenshot(path=f"{SHOTS}/totp-replace-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    secret = page.locator("[data-totp-secret]").inner_text().strip()
    page.get_by_label("Mã của thiết bị mới").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Xác nhận").click()
    # refused without it
    expect(page.locator("p.error", has_text="Hãy nhập mã của thiết bị hiện tại")).to_be_visible()
    assert TotpDevice.objects.get(user=world.users.province).secret != secret
    page.get_by_label("Mã của thiết bị hiện tại").fill(totp_code("tinh-thainguyen"))
    page.get_by_label("Mã của thiết bị mới").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".recovery-codes code").first).to_be_visible()
    assert TotpDevice.objects.get(user=world.users.province).secret == secret
    assert violations == []
    context.close()
