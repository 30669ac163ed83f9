"""The public portal in a browser: search with and without diacritics, a filter, a product page,
a report from a phone, and its moderation by the province."""

from __future__ import annotations

import pytest

from ocop.portal.models import Feedback
from ocop.testing import PASSWORD, totp_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_without_and_with_diacritics_then_filter(page, live_server, portal):
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("link", name="Chè Shan tuyết Đồng Thắng").first.is_visible()
    page.get_by_placeholder("Tên sản phẩm, chủ thể, xã, tỉnh…").fill("mien dong nam mau")
    page.get_by_role("button", name="Tìm", exact=True).click()
    results = page.locator("#results")
    assert results.get_by_role("link", name="Miến dong Nam Mẫu").is_visible()
    assert results.get_by_text("Kẹo cu đơ").count() == 0

    page.get_by_label("Từ khoá").fill("ĐỒNG THẮNG")
    page.get_by_role("button", name="Tìm kiếm").click()
    assert results.get_by_role("link", name="Chè Shan tuyết Đồng Thắng").is_visible()

    page.get_by_label("Từ khoá").fill("")
    page.get_by_label("Hạng sao").select_option("4")
    page.get_by_role("button", name="Tìm kiếm").click()
    assert page.locator("#count").inner_text().startswith("1 sản phẩm")
    assert results.get_by_role("link", name="Miến dong Nam Mẫu").is_visible()
    assert results.get_by_text("Chè Shan tuyết").count() == 0

    page.get_by_label("Hạng sao").select_option("")
    page.get_by_label("Gồm cả sản phẩm hết hiệu lực").check()
    page.get_by_role("button", name="Tìm kiếm").click()
    assert results.get_by_role("link", name="Kẹo cu đơ").is_visible()
    assert results.get_by_text("Rượu men lá").count() == 0  # revoked: never


def test_product_page_then_report_from_a_phone_and_moderation(phone_page, live_server, portal):
    page = phone_page
    page.goto(f"{live_server.url}/tim-kiem/?q=mien+dogn")
    page.get_by_role("link", name="Miến dong Nam Mẫu").click()
    assert page.get_by_role("heading", name="Miến dong Nam Mẫu", level=1).is_visible()
    assert page.get_by_text("Còn hiệu lực").is_visible()
    assert page.get_by_text("123/QĐ-UBND", exact=True).is_visible()
    assert page.get_by_text("0912345678").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"trang rộng {width}px trên điện thoại"

    page.get_by_text("Phản ánh về sản phẩm này").click()
    page.get_by_label("Vấn đề").select_option("fake_stamp")
    page.get_by_label("Nội dung").fill("Tem trên gói miến không quét được, nghi tem giả.")
    page.get_by_label("Số điện thoại (không công khai)").fill("0987654321")
    page.get_by_role("button", name="Gửi phản ánh").click()
    assert page.get_by_role("heading", name="Cảm ơn bạn đã phản ánh").is_visible()
    feedback = Feedback.objects.get()
    assert feedback.kind == "fake_stamp" and feedback.reporter_phone == "0987654321"

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/quan-ly/phan-anh/")
    page.get_by_label("Tên đăng nhập").fill("tinh-thainguyen")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    totp_step(page, "tinh-thainguyen")
    page.wait_for_url(f"{live_server.url}/quan-ly/phan-anh/")
    page.get_by_role("link", name="Miến dong Nam Mẫu").click()
    assert page.get_by_text("0987654321").is_visible()
    page.get_by_label("Trả lời (hiển thị công khai kèm phản ánh)").fill(
        "Đã kiểm tra: lô tem cũ, HTX đã thay tem mới."
    )
    page.get_by_role("button", name="Lưu kết quả").click()
    assert page.get_by_text("Đã lưu kết quả xử lý phản ánh.").is_visible()

    page.get_by_role("link", name="trang công khai").click()
    assert page.get_by_text("HTX đã thay tem mới").is_visible()
    assert page.get_by_text("0987654321").count() == 0


@pytest.mark.parametrize("sized", ["phone_page", "page"], ids=["390", "1366"])
def test_a_report_with_errors_lands_on_its_error_summary(sized, request, live_server, portal):
    """The feedback form sits low on a long product page: sent back with errors, the page opens on the
    summary of its errors (focused, on screen, title "Lỗi: …"), whose links lead to each field."""
    from playwright.sync_api import expect

    page = request.getfixturevalue(sized)
    page.goto(f"{live_server.url}/tim-kiem/?q=mien+dong")
    page.get_by_role("link", name="Miến dong Nam Mẫu").click()
    page.get_by_text("Phản ánh về sản phẩm này").click()
    page.get_by_role("button", name="Gửi phản ánh").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.title().startswith("Lỗi: ")
    page.screenshot(path=f"test-artifacts/screens/feedback-errors-{sized}.png")
    summary.get_by_role("link", name="Nội dung").click()
    expect(page.get_by_label("Nội dung")).to_be_focused()
    expect(page.get_by_label("Nội dung")).to_be_in_viewport()
    assert Feedback.objects.count() == 0
