"""The statistics page on a phone and a desktop: a contents list to jump to each section, tables collapsed,
the yearly chart with every year (zeros included, labels inside the chart) and a map that says what it
shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ocop import testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_statistics_sections_chart_and_map(request, fixture, live_server, history, axe):
    page = request.getfixturevalue(fixture)
    testing.browser_login(page, live_server.url, "tinh-thainguyen")
    page.goto(f"{live_server.url}/thong-ke/?as_of=2026-12-07")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, f"trang thống kê dài {height}px"
    page.screenshot(path=f"test-artifacts/stats-sections-{fixture}.png", full_page=True)
    page.locator("section[aria-labelledby=h-years]").screenshot(
        path=f"test-artifacts/stats-years-{fixture}.png"
    )
    page.locator("section[aria-labelledby=h-map]").screenshot(path=f"test-artifacts/stats-map-{fixture}.png")
    contents = page.get_by_role("navigation", name="Các phần của trang thống kê")
    contents.get_by_role("link", name="Theo xã/phường").click()
    assert page.url.endswith("#t-communes")
    communes = page.locator("section[aria-labelledby=t-communes]")
    expect(communes.locator("table")).to_be_hidden()  # collapsed until asked for
    communes.get_by_text("Xem bảng").click()
    expect(communes.get_by_role("cell", name="Xã Bạch Thông").first).to_be_visible()
    # Every year from the first event (2019) through the as-of year, 2024 with no event included.
    year_labels = page.locator("section[aria-labelledby=h-years] svg text.chart__axis[text-anchor=middle]")
    expect(year_labels).to_have_text([str(year) for year in range(2019, 2027)])
    chart = page.locator("section[aria-labelledby=h-years] svg")
    box = chart.bounding_box()
    for label in chart.locator("text").all():  # no label runs past the chart's edges
        text_box = label.bounding_box()
        assert (
            box["x"] - 1 <= text_box["x"] and text_box["x"] + text_box["width"] <= box["x"] + box["width"] + 1
        )
    expect(page.get_by_test_id("map-caption")).to_contain_text("Xã có sản phẩm OCOP")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    axe(page)
