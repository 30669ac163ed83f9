"""Public pages a consumer trusts, one set of names, errors you can find (issue 21, public side)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from ocop.portal.models import PortalListing
from ocop.portal.search import base_listing
from ocop.portal.selectors import home_figures, search_example
from ocop.targets.selectors import unit_stats

pytestmark = pytest.mark.django_db


def _page(client, product) -> str:
    response = client.get(f"/san-pham-ocop/{product.pk}/", follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_product_page_shows_certificate_and_decision_numbers(client, portal):
    from ocop.certification.models import Certificate

    certificate = Certificate.objects.get(product=portal.che)
    certificate.number = "GCN-05/2026"
    certificate.save()
    PortalListing.objects.filter(pk=portal.che.pk).update(certificate_number="GCN-05/2026")
    html = _page(client, portal.che)
    assert "Số giấy chứng nhận" in html and "GCN-05/2026" in html
    # The decision is shown with its own number and date, even where the certificate has no number.
    day = (timezone.localdate() - dt.timedelta(days=30)).strftime("%d/%m/%Y")
    assert "Quyết định công nhận" in html and f"Số 456/QĐ-UBND, ngày {day}" in html
    html = _page(client, portal.mien)
    assert "Số 123/QĐ-UBND" in html and "Số quyết định: —" not in html


def test_product_page_photo_or_placeholder_plain_sources_no_coordinates(client, portal):
    portal.mien.description = (
        "Miến dong làm thủ công.\nNguồn công bố: https://www.baobackan.com.vn/mien-dong-post123.htm"
    )
    portal.mien.save()
    html = _page(client, portal.mien)
    assert "portal/img/placeholder.svg" in html and "Chưa có ảnh sản phẩm" in html
    assert (
        '<a href="https://www.baobackan.com.vn/mien-dong-post123.htm" rel="nofollow noopener">'
        "baobackan.com.vn</a>" in html
    )
    assert ">https://www.baobackan.com.vn" not in html  # the address itself is not shown as text
    listing = PortalListing.objects.get(pk=portal.mien.pk)
    text = re.sub(r"<[^>]+>", " ", html[html.index("<main") :])  # what a reader sees
    assert f"{listing.latitude:.4f}" not in text and f"{listing.longitude:.4f}" not in text


def test_expired_product_says_so_before_its_shop_links(client, portal):
    from ocop.support.models import EcommerceListing

    today = timezone.localdate()
    EcommerceListing.objects.create(
        product=portal.keo,
        platform="shopee",
        url="https://shopee.example.vn/keo",
        listed_on=today - dt.timedelta(days=100),
        checked_alive_on=today - dt.timedelta(days=3),
    )
    html = _page(client, portal.keo)
    html = html[html.index("<main") :]  # (the shop is also an offer in the head's JSON-LD)
    notice = html.index("Giấy chứng nhận OCOP của sản phẩm này đã hết hiệu lực")
    assert notice < html.index("https://shopee.example.vn/keo")
    assert (
        notice
        < html.index('id="h-buy"')
        < html.index("Lưu ý: giấy chứng nhận OCOP của sản phẩm đã hết hiệu lực")
    )
    assert "Giấy chứng nhận OCOP của sản phẩm này đã hết hiệu lực" not in _page(client, portal.mien)


def test_search_without_hits_in_force_offers_the_expired_ones(client, portal):
    html = client.get("/tim-kiem/", {"q": "keo cu do"}).content.decode()
    assert "Không tìm thấy sản phẩm OCOP còn hiệu lực phù hợp." in html
    assert "1 sản phẩm đã hết hiệu lực phù hợp" in html
    link = re.search(r'phù hợp — <a href="([^"]+)">xem</a>', html).group(1)
    assert "het_han=1" in link and "q=keo+cu+do" in link
    html = client.get("/tim-kiem/" + link.replace("&amp;", "&")).content.decode()
    assert "Kẹo cu đơ" in html
    # A search that finds products in force offers nothing more; one matching nothing at all neither.
    assert "đã hết hiệu lực phù hợp" not in client.get("/tim-kiem/", {"q": "mien"}).content.decode()
    assert "đã hết hiệu lực phù hợp" not in client.get("/tim-kiem/", {"q": "xyzxyz"}).content.decode()


def test_the_search_box_example_finds_something(client, portal):
    example = search_example()
    assert example and example.startswith("chè Shan")
    html = client.get("/tim-kiem/").content.decode()
    assert f'placeholder="Ví dụ: {example}"' in html
    html = client.get("/tim-kiem/", {"q": example}).content.decode()
    assert "Chè Shan tuyết Đồng Thắng" in html and "Không tìm thấy" not in html


def test_places_use_todays_units_with_the_old_name_in_brackets(client, portal):
    html = client.get(f"/tinh/{portal.world.places.thai_nguyen.pk}/", follow=True).content.decode()
    cards = re.findall(r'<div class="card__at">(.*?)</div>', html)
    assert cards and all("Tỉnh Thái Nguyên" in card and "Huyện" not in card for card in cards)
    assert 'Xã Ba Bể, Tỉnh Thái Nguyên <span class="was">(trước đây: Xã Nam Mẫu, Tỉnh Bắc Kạn)</span>' in html
    html = _page(client, portal.keo)  # registered under a 2025 commune: nothing in brackets
    assert "Tỉnh Hà Tĩnh" in html and "trước đây" not in html.split('id="h-place"')[1].split("</section>")[0]


def test_ocop_products_mean_one_thing_on_the_home_page_province_pages_and_statistics(client, portal):
    """ "Sản phẩm OCOP": recognised today (SPEC §3), the statistics' recognized_total; other counts say what
    they are ("còn hiệu lực")."""
    day = timezone.localdate()
    stats = unit_stats(portal.world.places.thai_nguyen, day)
    figures = home_figures()
    hatinh = unit_stats(portal.world.places.ha_tinh, day)
    assert figures.recognised == stats["recognized_total"] + hatinh["recognized_total"] == 4
    assert figures.total == base_listing().count() == stats["in_force_total"] == 3
    html = client.get("/").content.decode()
    assert (
        "4 sản phẩm OCOP được công nhận, trong đó 3 sản phẩm có giấy chứng nhận còn hiệu lực hôm nay" in html
    )
    html = client.get(f"/tinh/{portal.world.places.thai_nguyen.pk}/", follow=True).content.decode()
    assert f"<b>{stats['recognized_total']}</b> sản phẩm OCOP" in html
    assert f"<b>{stats['in_force_total']}</b> còn hiệu lực" in html


def test_stamp_page_uses_the_portal_header_and_links_to_the_product(client, portal, settings):
    from ocop.traceability import services as stamps

    settings.STAMP_SCANS_SYNC = True
    settings.STAMP_READER_CONNECTION = False  # the test's transaction is not visible to another connection
    batch = stamps.batch_create(user=None, product=portal.mien, lot="PT-2")
    stamps.stamps_issue(user=None, batch=batch, count=1, active=True, base_url="")
    html = client.get(f"/s/{batch.stamps.get().code}").content.decode()
    assert 'class="brand"' in html and "Kết nối OCOP" in html and "top__nav" in html
    assert f'href="/san-pham-ocop/{portal.mien.pk}/"' in html
    assert '<h1 class="verdict__label">Tem chính hãng</h1>' in html
    html = client.get("/s/KHONGCO").content.decode()
    assert '<h1 class="verdict__label">Mã tem không tồn tại</h1>' in html  # an unknown stamp has an h1 too


def test_public_404_speaks_to_consumers_and_staff_404_keeps_its_layout(client, world):
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404 and "tài khoản" not in html
    assert "Không tìm thấy trang" in html and "top__nav" in html
    assert "tài khoản" not in client.get("/en/khong-co/").content.decode()
    client.force_login(world.users.province)
    staff = client.get("/quan-ly/khong-co/").content.decode()
    assert "Không tìm thấy trang" in staff and "top__nav" not in staff


def test_favicon(client, world):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("portal/img/favicon.ico")
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html


def test_public_pages_use_words_for_users(client, portal):
    for url in ("/", "/tim-kiem/", "/du-lieu-mo/", "/ban-do/", "/diem-ban/", "/hoi-cho/", "/xep-hang-tinh/"):
        html = client.get(url).content.decode()
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))
        for word in ("API", "Bearer", "EPCIS", "JSON", "CSV UTF-8", "tạo ở nền", "---------"):
            assert word not in text, (url, word)
    assert ">Dữ liệu mở</a>" in client.get("/").content.decode()


def test_feedback_errors_are_summarised_at_the_top_with_links(client, portal):
    url = f"/san-pham-ocop/{portal.mien.pk}/phan-anh/"
    response = client.post(url, {"kind": "quality", "message": "ngắn", "reporter_email": "khong-phai-thu"})
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r"<title>Lỗi: ", html)
    summary = html.index("data-error-summary")
    assert summary < html.index('class="crumbs"')  # at the top, before the product
    assert '<a href="#id_message">Nội dung phản ánh cần ít nhất 10 ký tự (hiện có 4).</a>' in html
    assert '<a href="#id_reporter_email">Thư điện tử chưa đúng dạng, ví dụ: ten@example.com.</a>' in html
    assert 'id="id_message_error"' in html and 'aria-invalid="true"' in html
    assert "<title>Lỗi:" not in _page(client, portal.mien)
