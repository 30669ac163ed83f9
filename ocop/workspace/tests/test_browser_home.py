"""Browser main path: an officer signs in and lands on the staff home, their work queue first, on a phone
and on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ocop import testing
from ocop.evaluation.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_officer_lands_on_home_with_their_figures(request, fixture, live_server, world, axe):
    page = request.getfixturevalue(fixture)
    testing.browser_login(page, live_server.url, world.users.province.username)
    page.goto(f"{live_server.url}/quan-ly/")
    expect(page.get_by_role("heading", name="Xin chào")).to_be_visible()
    expect(page.locator("[data-stat=entities]")).to_have_text("2")  # the two Bắc Kạn entities, not Hà Tĩnh's
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=f"test-artifacts/workspace-home-{fixture}.png", full_page=True)
    axe(page)


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_commune_officer_follows_the_queue_to_the_dossier_waiting(request, fixture, live_server, world, axe):
    factories.submitted_dossier(world)
    page = request.getfixturevalue(fixture)
    testing.browser_login(page, live_server.url, world.users.commune.username)
    page.goto(f"{live_server.url}/quan-ly/")
    entry = page.get_by_test_id("queue").get_by_role("link", name="Hồ sơ chờ xã chấm, đề xuất lên tỉnh")
    expect(entry).to_contain_text("1")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=f"test-artifacts/workspace-queue-{fixture}.png", full_page=True)
    axe(page)
    entry.click()
    expect(page.get_by_test_id("status-filter")).to_contain_text("Đã nộp")
    expect(page.get_by_role("link", name="Miến dong Nam Mẫu")).to_be_visible()
    axe(page)


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_council_member_lands_on_the_sheet_to_score(request, fixture, live_server, world, axe):
    setup = factories.evaluation_in_council(world)
    page = request.getfixturevalue(fixture)
    if fixture == "page":
        page.set_viewport_size({"width": 820, "height": 1180})  # the council's tablet
    testing.browser_login(page, live_server.url, world.users.council.username)
    page.goto(f"{live_server.url}/quan-ly/")
    entry = page.get_by_test_id("queue").get_by_role("link", name="Phiếu chấm chờ bạn chấm")
    expect(entry).to_contain_text("1")
    expect(page.locator("[data-stat=recognised]")).to_have_count(0)  # no figures: the council scores
    page.screenshot(path=f"test-artifacts/workspace-council-{fixture}.png", full_page=True)
    axe(page)
    entry.click()
    expect(page.get_by_role("link", name=setup.dossier.product.name)).to_be_visible()


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_producer_sees_what_is_asked_of_them(request, fixture, live_server, world, axe):
    from ocop.evaluation.services import dossiers

    dossiers.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    page = request.getfixturevalue(fixture)
    testing.browser_login(page, live_server.url, world.users.producer.username)
    page.goto(f"{live_server.url}/quan-ly/")
    entry = page.get_by_test_id("queue").get_by_role("link", name="Hồ sơ đang soạn, chưa nộp")
    expect(entry).to_contain_text("1")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=f"test-artifacts/workspace-producer-{fixture}.png", full_page=True)
    axe(page)
    entry.click()
    expect(page.get_by_test_id("status-filter")).to_contain_text("Nháp")
    axe(page)
