"""Main path in a browser: a producer creates a batch, records an event, issues stamps; a consumer's phone
opens a stamp's address and sees the verdict."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ocop.testing import browser_login
from ocop.traceability.models import Batch, Stamp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("STAMPS_SCREENSHOTS", "/tmp/stamps"))


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_producer_batch_event_issue_then_verify(page, live_server, world, axe):
    base = live_server.url
    browser_login(page, base, "htx-nammau")
    page.get_by_role("link", name="Truy xuất", exact=True).click()
    page.get_by_role("link", name="+ Tạo lô sản xuất").click()
    page.locator("#id_product").select_option(label="Miến dong Nam Mẫu — HTX Miến dong Nam Mẫu")
    page.get_by_label("Số lô").fill("NM 05")  # a space is not allowed in a lot number
    page.get_by_label("Ngày sản xuất").fill("2026-05-01")
    page.get_by_label("Hạn sử dụng").fill("2027-05-01")
    page.get_by_label("Nguồn gốc nguyên liệu").fill("Củ dong riềng thôn Nà Ma, xã Nam Mẫu")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("p.error", has_text="Số lô chỉ gồm chữ cái không dấu")).to_be_visible()
    page.get_by_label("Số lô").fill("NM-05")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Lô NM-05 · Miến dong Nam Mẫu")).to_be_visible()

    page.get_by_text("+ Ghi sự kiện").click()
    page.get_by_label("Công đoạn").select_option("packing")
    page.get_by_label("Thời điểm").fill("2026-05-02T09:00")
    page.get_by_label("Địa điểm").fill("Xưởng đóng gói HTX")
    page.get_by_role("button", name="Ghi sự kiện").click()
    expect(page.get_by_text("Đã ghi sự kiện truy xuất.")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Đóng gói")

    page.get_by_label("Số tem cần phát hành").fill("5")
    page.get_by_role("button", name="Phát hành tem").click()
    # The page that asks once, saying what will happen.
    expect(page.get_by_test_id("confirm-lines")).to_contain_text("số thứ tự từ 1 đến 5")
    shot(page, "issue-confirm-desktop")
    page.get_by_role("button", name="Xác nhận phát hành 5 tem").click()
    # A background job: its page follows the progress, then offers the codes and the way back.
    expect(page.get_by_text("Đã phát hành 5 tem, số 1–5.")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("link", name="Tải danh sách mã (ZIP, CSV)")).to_be_visible()
    shot(page, "issue-job-desktop")
    axe(page)
    page.get_by_role("link", name="Về trang liên quan ›").click()
    expect(page.get_by_role("link", name="Tải tệp in tem (PDF)")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải danh sách mã (CSV)").click()
    assert Path(download.value.path()).read_text().startswith("serial,code,url")
    shot(page, "batch-detail-desktop")

    batch = Batch.objects.get(lot="NM-05")
    code = batch.stamps.get(serial=1).code
    page.get_by_role("row").filter(has_text=batch.stamps.get(serial=2).code).get_by_role(
        "button", name="Thu hồi"
    ).click()
    expect(page.get_by_test_id("confirm-lines")).to_contain_text("Thu hồi 1 tem (tem 2) của lô NM-05.")
    assert Stamp.objects.get(batch=batch, serial=2).status == "active"
    page.get_by_role("button", name="Xác nhận thu hồi 1 tem").click()
    expect(page.get_by_text("Đã thu hồi 1 tem.")).to_be_visible()
    assert Stamp.objects.get(batch=batch, serial=2).status == "revoked"

    page.goto(f"{base}/s/{code}")
    expect(page.get_by_text("Tem chính hãng")).to_be_visible()
    expect(page.get_by_text("lần quét đầu tiên")).to_be_visible()
    shot(page, "verify-desktop")


def test_phone_verify_page_and_batch_page_fit(phone_page, live_server, world):
    from ocop.traceability import services

    batch = services.batch_create(
        user=None,
        product=world.products.mien,
        lot="P-1",
        data={"raw_material_origin": "Củ dong riềng Nam Mẫu", "quantity": 200},
    )
    services.stamps_issue(user=None, batch=batch, count=3, active=True, base_url="")
    genuine, revoked, _ = batch.stamps.order_by("serial").values_list("code", flat=True)
    services.stamps_set_status(user=None, batch=batch, status="revoked", stamp=batch.stamps.get(code=revoked))
    page = phone_page
    page.goto(f"{live_server.url}/s/{genuine}")
    expect(page.get_by_text("Tem chính hãng")).to_be_visible()
    expect(page.get_by_role("heading", name="Miến dong Nam Mẫu")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "verify-phone-genuine")
    page.goto(f"{live_server.url}/s/{revoked}")
    expect(page.get_by_text("Tem đã bị thu hồi")).to_be_visible()
    shot(page, "verify-phone-revoked")
    page.goto(f"{live_server.url}/s/")
    page.get_by_label("Mã tem").fill("abcde-fghjk-mnpqr-stvwx-y")
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.get_by_text("Mã tem không tồn tại")).to_be_visible()
    shot(page, "verify-phone-unknown")

    browser_login(page, live_server.url, "htx-nammau", next_path=batch.get_absolute_url())
    expect(page.get_by_role("heading", name="Lô P-1 · Miến dong Nam Mẫu")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "batch-detail-phone")


def test_an_unknown_code_has_a_heading_and_the_portal_header_on_a_desktop(page, live_server, axe):
    page.goto(f"{live_server.url}/s/ABCDEFGHJKMNPQRSTVWXY")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("banner").get_by_role("link", name="Kết nối OCOP")).to_be_visible()
    expect(page.get_by_role("link", name="Bỏ qua, tới nội dung chính")).to_be_attached()
    axe(page)
    shot(page, "verify-desktop-unknown")
