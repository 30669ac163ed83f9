"""English for buyers (/en/…) and pages that travel: share cards, JSON-LD, the sitemap (issue 23)."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone, translation

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(autouse=True)
def vietnamese_after():
    """A request under /en/ leaves English active in this thread: later tests reverse Vietnamese addresses."""
    yield
    translation.activate("vi")


def _html(client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


# -- English ---------------------------------------------------------------------------------------------
def test_public_pages_in_english_under_en_and_vietnamese_at_the_root(client, market):
    urls = [
        "/", "/tim-kiem/?q=mien", f"/san-pham-ocop/{market.portal.mien.pk}/",
        f"/chu-the-ocop/{market.portal.world.entities.nam_mau.pk}/", f"/diem-ban/{market.chora.pk}/",
        f"/hoi-cho/{market.upcoming.pk}/", "/diem-ban/", "/hoi-cho/", "/ban-do/", "/xep-hang-tinh/",
        "/du-lieu-mo/", "/s/", "/du-lich-cong-dong/",
    ]  # fmt: skip
    for url in urls:
        vietnamese = _html(client, url)
        english = _html(client, "/en" + url)
        assert '<html lang="vi">' in vietnamese and '<html lang="en">' in english, url
        assert "Kết nối OCOP" in vietnamese and "OCOP Connect" in english, url
        assert "Điều hướng chính" not in english and "Main navigation" in english, url
    html = _html(client, "/en/")
    assert "Find and trust OCOP products" in html and "4 recognised OCOP products, 3 of them" in html
    html = _html(client, f"/en/san-pham-ocop/{market.portal.keo.pk}/")
    assert (
        "This product&#x27;s OCOP certificate has expired" in html
        or "This product's OCOP certificate" in html
    )


def test_language_switch_and_hreflang(client, portal):
    url = f"/san-pham-ocop/{portal.mien.pk}-mien-dong-nam-mau/"
    html = _html(client, url)
    assert f'<link rel="alternate" hreflang="vi" href="http://testserver{url}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://testserver/en{url}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{url}">' in html
    assert f'<a class="lang" href="/en{url}" hreflang="en" lang="en">English</a>' in html
    html = _html(client, "/en" + url)
    assert f'<a class="lang" href="{url}" hreflang="vi" lang="vi">Tiếng Việt</a>' in html
    html = _html(client, "/tim-kiem/?q=mien&sao=4")
    assert 'href="/en/tim-kiem/?q=mien&amp;sao=4"' in html  # the switch keeps the search


def test_staff_pages_and_the_api_stay_at_the_root(client, world):
    assert client.get("/en/tai-khoan/dang-nhap/").status_code == 404
    assert client.get("/en/quan-ly/phan-anh/").status_code == 404
    assert client.get("/en/api/v1/products").status_code == 404
    response = client.get("/tai-khoan/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Đăng nhập" in response.content.decode()
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode().count('<html lang="vi">') == 1


def test_english_names_where_officers_entered_them_else_vietnamese(client, portal):
    portal.mien.name_en = "Nam Mau arrowroot vermicelli"
    portal.mien.description_en = "Hand-made glass noodles from Ba Be."
    portal.mien.save()
    entity = portal.world.entities.nam_mau
    entity.name_en = "Nam Mau Vermicelli Cooperative"
    entity.save()
    html = _html(client, f"/en/san-pham-ocop/{portal.mien.pk}/")
    assert "<h1>Nam Mau arrowroot vermicelli</h1>" in html and "Hand-made glass noodles" in html
    assert "Nam Mau Vermicelli Cooperative" in html
    html = _html(client, "/en/tim-kiem/?q=mien")
    assert ">Nam Mau arrowroot vermicelli</a>" in html  # cards too
    assert "<h1>Miến dong Nam Mẫu</h1>" in _html(client, f"/san-pham-ocop/{portal.mien.pk}/")
    assert "<h1>Chè Shan tuyết Đồng Thắng</h1>" in _html(client, f"/en/san-pham-ocop/{portal.che.pk}/")


def test_officers_enter_english_names_on_the_staff_forms(client, portal):
    from ocop.producers.forms import EntityForm
    from ocop.products.forms import ProductForm

    officer = portal.world.users.province
    assert {"name_en", "description_en"} <= set(ProductForm(user=officer).fields)
    assert {"name_en", "description_en"} <= set(EntityForm(user=officer).fields)


# -- share cards and JSON-LD -----------------------------------------------------------------------------
def _meta(html: str, key: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert found, key
    return found.group(1)


def test_share_cards_on_product_entity_place_and_fair_pages(client, market):
    pages = [
        f"/san-pham-ocop/{market.portal.mien.pk}/",
        f"/chu-the-ocop/{market.portal.world.entities.nam_mau.pk}/",
        f"/diem-ban/{market.chora.pk}/",
        f"/hoi-cho/{market.upcoming.pk}/",
    ]
    for url in pages:
        html = _html(client, url)
        for key in ("og:title", "og:description", "og:image", "og:url", "og:type"):
            assert _meta(html, key), (url, key)
        for key in ("twitter:card", "twitter:title", "twitter:description", "twitter:image"):
            assert _meta(html, key), (url, key)
        assert _meta(html, "og:image").startswith("http://testserver/static/")
    html = _html(client, pages[0])
    assert _meta(html, "og:title") == "Miến dong Nam Mẫu — OCOP 4 sao"
    assert "Xã Ba Bể, Tỉnh Thái Nguyên" in _meta(html, "og:description")


def test_product_json_ld_has_brand_certification_and_offers(client, portal):
    from ocop.support.models import EcommerceListing

    today = timezone.localdate()
    EcommerceListing.objects.create(
        product=portal.mien,
        platform="postmart",
        url="https://postmart.example.vn/mien",
        listed_on=today - dt.timedelta(days=60),
        checked_alive_on=today - dt.timedelta(days=2),
    )
    html = _html(client, f"/san-pham-ocop/{portal.mien.pk}/")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Product" and data["brand"]["name"] == "HTX Miến dong Nam Mẫu"
    certification = data["hasCertification"]
    assert (
        certification["@type"] == "Certification"
        and certification["certificationIdentification"] == "123/QĐ-UBND"
    )
    assert certification["certificationRating"] == {
        "@type": "Rating", "ratingValue": 4, "bestRating": 5, "worstRating": 1,
    }  # fmt: skip
    assert certification["certificationStatus"] == "https://schema.org/CertificationActive"
    assert data["offers"] == [
        {
            "@type": "Offer",
            "url": "https://postmart.example.vn/mien",
            "seller": {"@type": "Organization", "name": "Postmart"},
            "availability": "https://schema.org/InStock",
        }
    ]
    html = _html(client, f"/san-pham-ocop/{portal.che.pk}/")
    assert '"offers"' not in html  # no shop link, no offer


# -- sitemap ---------------------------------------------------------------------------------------------
def test_sitemap_lists_public_pages_in_force_in_both_languages(client, market):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 — our own answer
    locations = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    base = "http://testserver"
    portal = market.portal
    expected = [
        "/", "/tim-kiem/", "/diem-ban/", "/hoi-cho/", "/ban-do/", "/du-lieu-mo/", "/xep-hang-tinh/",
        f"/san-pham-ocop/{portal.mien.pk}-mien-dong-nam-mau/",
        f"/chu-the-ocop/{portal.world.entities.nam_mau.pk}-htx-mien-dong-nam-mau/",
        f"/diem-ban/{market.chora.pk}-showroom-ocop-cho-ra/",
        f"/hoi-cho/{market.upcoming.pk}-hoi-cho-ocop-ba-be/",
        f"/tinh/{portal.world.places.thai_nguyen.pk}-thai-nguyen/",
    ]  # fmt: skip
    for path in expected:
        assert base + path in locations, path
    for gone in (
        f"/san-pham-ocop/{portal.keo.pk}-",
        f"/san-pham-ocop/{portal.ruou.pk}-",
        f"/diem-ban/{market.closed.pk}-",
    ):
        assert not [loc for loc in locations if gone in loc], gone  # expired, revoked, closed
    mien = next(
        url for url in root.findall("s:url", SITEMAP_NS) if "mien-dong" in url.find("s:loc", SITEMAP_NS).text
    )
    alternates = {link.get("hreflang"): link.get("href") for link in mien.findall("x:link", SITEMAP_NS)}
    path = f"/san-pham-ocop/{portal.mien.pk}-mien-dong-nam-mau/"
    assert alternates == {"vi": base + path, "en": base + "/en" + path, "x-default": base + path}
    assert all(
        "/en/" not in loc for loc in locations
    )  # English pages: as alternates of their Vietnamese twin


def test_robots_points_to_the_sitemap(client, world):
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /quan-ly/" in robots


def test_the_english_catalogue_is_complete_and_compiled():
    import polib  # type: ignore[import-untyped]
    from django.conf import settings

    po = polib.pofile(str(settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    assert not [entry.msgid for entry in po if not entry.translated()]
    with translation.override("en"):  # the .mo built by `make install` (scripts/compile_messages.py)
        assert translation.gettext("Tìm sản phẩm OCOP") == "Find OCOP products"
