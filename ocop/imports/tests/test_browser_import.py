"""Upload → row errors → fix → confirm in a real browser, as the Thái Nguyên province officer. The check and
the import run as background jobs in a thread of the web process; the page follows their progress and
reloads itself when one is done."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ocop.imports.tests.helpers import row, write_csv
from ocop.products.models import Product
from ocop.testing import PASSWORD, totp_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DONE = 30_000  # ms for a background check or import to finish on a loaded machine


def _login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    totp_step(page, username)
    page.wait_for_url(lambda url: "dang-nhap" not in url)  # the home page may redirect further


def _errors_come_first(page) -> None:
    """The row errors sit above the columns read and the preview."""
    top = {
        name: page.locator(selector).bounding_box()["y"]
        for name, selector in {
            "errors": "#loi",
            "columns": "text=Cột nhận được",
            "preview": "#xem-truoc",
        }.items()
    }
    assert top["errors"] < top["columns"] < top["preview"], top


def test_officer_uploads_sees_errors_fixes_and_imports(page, live_server, world, tmp_path, axe):
    bad = write_csv(
        tmp_path / "danh-sach.csv",
        [
            row("Trà hoa vàng", "HTX Trà Ba Bể", "Xã Nam Mẫu", "Huyện Ba Bể", "Bắc Kạn", 3, "20/10/2022"),
            row("Mật ong bạc hà", "HTX Trà Ba Bể", "Xã Nam Mẫu", "Huyện Ba Bể", "Bắc Kạn", 3, "31/02/2022"),
        ],
    )
    _login(page, live_server.url, "tinh-thainguyen")
    page.get_by_role("link", name="Nhập danh sách").click()
    page.get_by_label("Tệp danh sách").set_input_files(str(bad))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_text("Tệp không được nhập")).to_be_visible(timeout=DONE)
    errors = page.locator("table.errors")
    assert errors.get_by_text("Ngày “31/02/2022” không có thật.").is_visible()
    assert errors.locator("td[data-label='Dòng']").first.inner_text() == "3"
    bad_cell = page.locator("table.preview td.cell--error")
    assert bad_cell.count() == 1 and "31/02/2022" in bad_cell.inner_text()
    assert "không có thật" in bad_cell.inner_text()
    _errors_come_first(page)
    page.screenshot(path="test-artifacts/screens/import-refused-desktop.png", full_page=True)
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bảng lỗi (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    fixed = write_csv(
        tmp_path / "danh-sach-sua.csv",
        [
            row("Trà hoa vàng", "HTX Trà Ba Bể", "Xã Nam Mẫu", "Huyện Ba Bể", "Bắc Kạn", 3, "20/10/2022"),
            row("Mật ong bạc hà", "HTX Trà Ba Bể", "Xã Nam Mẫu", "Huyện Ba Bể", "Bắc Kạn", 3, "28/02/2022"),
            # A renewal with no earlier line: taken, with a warning to look at before confirming.
            row(
                "Miến dong Ba Bể",
                "HTX Trà Ba Bể",
                "Xã Nam Mẫu",
                "Huyện Ba Bể",
                "Bắc Kạn",
                3,
                "01/03/2023",
                "Công nhận lại",
            ),
        ],
    )
    page.get_by_role("link", name="Tải lên tệp đã sửa").click()
    page.get_by_label("Tệp danh sách").set_input_files(str(fixed))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_text("Tệp hợp lệ.")).to_be_visible(timeout=DONE)
    assert page.locator("table.preview").get_by_text("Mật ong bạc hà").is_visible()
    warning = page.locator("table.warnings tbody tr")
    assert warning.count() == 1 and warning.locator("td[data-label='Dòng']").inner_text() == "4"
    assert "Công nhận lại cho sản phẩm chưa có dòng công nhận nào trước đó" in warning.inner_text()
    axe(page)
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_text("Đã nhập xong.")).to_be_visible(timeout=DONE)
    assert Product.objects.filter(entity__name="HTX Trà Ba Bể").count() == 3


def test_the_preview_with_a_warning_reads_on_a_phone(phone_page, live_server, world, tmp_path, axe):
    path = write_csv(
        tmp_path / "canh-bao.csv",
        [row("Chè Ba Bể", "HTX Chè", "Xã Nam Mẫu", "Huyện Ba Bể", "Bắc Kạn", 4, "01/03/2023", "Nâng hạng")],
    )
    _login(phone_page, live_server.url, "tinh-thainguyen")
    phone_page.goto(f"{live_server.url}/nhap-du-lieu/")
    phone_page.get_by_label("Tệp danh sách").set_input_files(str(path))
    phone_page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(phone_page.get_by_text("Tệp hợp lệ.")).to_be_visible(timeout=DONE)
    assert phone_page.locator("table.warnings").get_by_text("Nâng hạng cho sản phẩm").is_visible()
    axe(phone_page)


def test_errors_come_first_and_the_bad_cell_is_marked_on_a_phone(phone_page, live_server, world, tmp_path):
    path = write_csv(
        tmp_path / "sai.csv",
        [
            row("Trà hoa vàng", "HTX Trà Ba Bể", "Xã Nam Mẫu", "Huyện Ba Bể", "Bắc Kạn", 3, "20/10/2022"),
            row("Mật ong bạc hà", "HTX Trà Ba Bể", "Xã Nam Mẫu", "Huyện Ba Bể", "Bắc Kạn", 9, "20/10/2022"),
        ],
    )
    _login(phone_page, live_server.url, "tinh-thainguyen")
    phone_page.goto(f"{live_server.url}/nhap-du-lieu/")
    phone_page.get_by_label("Tệp danh sách").set_input_files(str(path))
    phone_page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(phone_page.get_by_text("Tệp không được nhập")).to_be_visible(timeout=DONE)
    _errors_come_first(phone_page)
    bad_cell = phone_page.locator("table.preview td.cell--error")
    expect(bad_cell).to_have_count(1)
    assert bad_cell.inner_text().startswith("9")
    phone_page.get_by_role("link", name="phần xem trước").click()
    bad_cell.scroll_into_view_if_needed()
    expect(bad_cell).to_be_in_viewport()
    phone_page.screenshot(path="test-artifacts/screens/import-refused-phone.png", full_page=True)
