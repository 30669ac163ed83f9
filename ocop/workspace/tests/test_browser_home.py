"""Browser main path: an officer signs in and lands on the staff home, on a phone and on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ocop import testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_officer_lands_on_home_with_their_figures(request, fixture, live_server, world, axe):
    page = request.getfixturevalue(fixture)
    testing.browser_login(page, live_server.url, world.users.province.username)
    page.goto(f"{live_server.url}/quan-ly/")
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()
    expect(page.locator(".tile__num").first).to_have_text("2")  # the two Bắc Kạn entities, not Hà Tĩnh's
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=f"test-artifacts/workspace-home-{fixture}.png", full_page=True)
    axe(page)
