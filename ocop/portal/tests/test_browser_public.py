"""The public pages of issues 21 and 23 in a browser, at 390 px (phone) and 1366 px (desktop), each checked
with axe-core. The browser is offline: every request outside the test server is refused, so the map's
background tiles never load (the map must say so and keep working)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 390, "desktop": 1366}


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def sized_page(request, browser, live_server, reference_data):
    phone = request.param == "phone"
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": WIDTHS[request.param], "height": 844 if phone else 900},
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )
    context.set_default_timeout(10_000)
    blocked: list[str] = []

    def offline(route):
        if route.request.url.startswith(live_server.url):
            route.fallback()  # on to the automatic accessibility check's route (root conftest.py)
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    page.blocked = blocked
    page.width = WIDTHS[request.param]
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        from conftest import ARTIFACTS

        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    translation.activate("vi")


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.width, f"{page.url}: {width}px wide at {page.width}px"


def _visit(page, axe, url: str, heading: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    _fits(page)
    axe(page)


def test_where_to_buy_and_when_to_meet(sized_page, live_server, market, axe):
    page = sized_page
    _visit(page, axe, f"{live_server.url}/diem-ban/", "Điểm bán, showroom sản phẩm OCOP")
    expect(page.get_by_role("link", name="Showroom OCOP Chợ Rã")).to_be_visible()
    page.get_by_label("Tỉnh, thành phố").select_option(str(market.portal.world.places.ha_tinh.pk))
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("link", name="Cửa hàng đặc sản Hà Tĩnh")).to_be_visible()
    expect(page.get_by_role("link", name="Showroom OCOP Chợ Rã")).to_have_count(0)

    _visit(page, axe, f"{live_server.url}/diem-ban/{market.chora.pk}/", "Showroom OCOP Chợ Rã")
    expect(page.get_by_text("7:30–17:00 hằng ngày")).to_be_visible()
    expect(page.get_by_role("link", name="Miến dong Nam Mẫu")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)  # the place, on an offline map
    expect(page.locator("[data-map-down]")).to_be_visible()

    _visit(page, axe, f"{live_server.url}/hoi-cho/", "Hội chợ và sự kiện")
    page.get_by_role("link", name="Hội chợ OCOP Ba Bể").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hội chợ OCOP Ba Bể")
    expect(page.get_by_text("12 gian hàng")).to_be_visible()
    expect(page.get_by_role("link", name="HTX Miến dong Nam Mẫu")).to_be_visible()
    _fits(page)
    axe(page)


def test_map_works_offline_with_markers_filters_and_list(sized_page, live_server, market, axe):
    page = sized_page
    page.goto(f"{live_server.url}/ban-do/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản đồ sản phẩm OCOP và điểm bán")
    box = page.locator("#ban-do")
    expect(box).to_have_attribute("data-markers", "4")  # 2 communes with products, 2 points of sale
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(page.get_by_text("Bản đồ nền hiện không tải được")).to_be_visible()
    assert any("tile.openstreetmap.org" in url for url in page.blocked)  # tiles were asked for, and refused
    expect(page.locator("#h-list")).to_have_text("3 sản phẩm OCOP còn hiệu lực")
    _fits(page)
    axe(page)

    page.get_by_label("Hạng sao").select_option("5")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#h-list")).to_have_text("1 sản phẩm OCOP còn hiệu lực")
    expect(box).to_have_attribute("data-points", "/ban-do/diem.json?sao=5")
    expect(box).to_have_attribute("data-markers", "3")  # one commune, two points of sale
    page.get_by_label("Tỉnh, thành phố").select_option(str(market.portal.world.places.thai_nguyen.pk))
    page.get_by_role("button", name="Lọc").click()
    expect(box).to_have_attribute("data-markers", "2")  # Hà Tĩnh's shop is filtered out
    marker = page.get_by_role("button", name="Xã Bạch Thông: 1 sản phẩm OCOP")  # its products load on opening
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    # The marker's products are fetched when it opens (a loaded test machine may take a while).
    expect(popup.get_by_role("link", name="Chè Shan tuyết Đồng Thắng")).to_be_visible(timeout=20_000)
    popup.get_by_role("link", name="Chè Shan tuyết Đồng Thắng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chè Shan tuyết Đồng Thắng")


def test_ranking_and_open_data(sized_page, live_server, portal, axe):
    page = sized_page
    _visit(page, axe, f"{live_server.url}/xep-hang-tinh/", "Xếp hạng các tỉnh theo sản phẩm OCOP")
    first = page.locator("table tbody tr").first
    expect(first).to_contain_text("Thái Nguyên")
    page.get_by_label("Tính đến ngày").fill("2024-12-31")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_text("Trước 01/07/2025: 63 tỉnh")).to_be_visible()
    axe(page)

    _visit(page, axe, f"{live_server.url}/du-lieu-mo/", "Dữ liệu mở: sản phẩm OCOP")
    with page.expect_download() as download:
        page.get_by_role("link", name="Bảng tính Excel").click()
    assert download.value.suggested_filename == "san-pham-ocop.xlsx"


def test_a_consumer_finds_trusts_and_checks(sized_page, live_server, portal, axe):
    page = sized_page
    _visit(page, axe, f"{live_server.url}/", "Tìm và tin dùng sản phẩm OCOP")
    expect(page.get_by_text("4 sản phẩm OCOP được công nhận, trong đó 3 sản phẩm")).to_be_visible()
    expect(page.locator("link[rel=icon]").first).to_have_attribute("href", re.compile(r"favicon"))

    page.goto(f"{live_server.url}/tim-kiem/?q=keo+cu+do")
    expect(page.get_by_text("1 sản phẩm đã hết hiệu lực phù hợp")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="xem", exact=True).click()
    page.get_by_role("link", name="Kẹo cu đơ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kẹo cu đơ")
    notice = page.get_by_text("Giấy chứng nhận OCOP của sản phẩm này đã hết hiệu lực")
    expect(notice).to_be_visible()
    assert notice.bounding_box()["y"] < page.locator("#h-buy").bounding_box()["y"]
    expect(page.get_by_text("Quyết định công nhận", exact=True)).to_be_visible()
    expect(page.get_by_text("Số 789/QĐ-UBND", exact=False)).to_be_visible()
    expect(page.get_by_text("Chưa có ảnh sản phẩm")).to_be_visible()
    _fits(page)
    axe(page)

    page.get_by_label("Mã tem").fill("KHONG-CO-MA")
    page.get_by_role("button", name="Kiểm tra tem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã tem không tồn tại")
    expect(page.get_by_role("link", name="Kết nối OCOP")).to_be_visible()  # the portal's header
    _fits(page)
    axe(page)

    _visit(page, axe, f"{live_server.url}/khong-co-trang-nay/", "Không tìm thấy trang")
    assert "tài khoản" not in page.content()


def test_feedback_errors_are_where_the_reader_lands(sized_page, live_server, portal, axe):
    page = sized_page
    page.goto(f"{live_server.url}/san-pham-ocop/{portal.mien.pk}/#phan-anh")
    page.get_by_label("Nội dung").fill("ngắn")
    page.get_by_label("Thư điện tử (không công khai)").fill("khong-phai-thu")
    page.get_by_role("button", name="Gửi phản ánh").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Lỗi: "))
    box = summary.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"], box  # on screen where the page lands
    expect(summary.get_by_role("link")).to_have_count(2)
    axe(page)
    summary.get_by_role("link", name=re.compile("Nội dung phản ánh cần ít nhất 10 ký tự")).click()
    expect(page.get_by_label("Nội dung")).to_be_focused()


def test_english_pages_for_buyers(sized_page, live_server, market, axe):
    page = sized_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find and trust OCOP products")
    assert page.url == f"{live_server.url}/en/"
    axe(page)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Where to buy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("OCOP points of sale and showrooms")
    page.get_by_role("link", name="Showroom OCOP Chợ Rã").click()
    expect(page.get_by_text("OCOP products in force on sale here (1)")).to_be_visible()
    _fits(page)
    axe(page)
    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Showroom OCOP Chợ Rã")
    assert "/en/" not in page.url
