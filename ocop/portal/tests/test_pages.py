from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BUDGET = 100 * 1024
PERSONAL = ("0912345678", "006123456789")


def product_url(client, product) -> str:
    response = client.get(f"/san-pham-ocop/{product.pk}/")
    assert response.status_code == 301
    return response["Location"]


def test_home_lists_featured_groups_and_provinces(client, portal):
    html = client.get("/").content.decode()
    assert "Chè Shan tuyết Đồng Thắng" in html and "Miến dong Nam Mẫu" in html
    assert "Kẹo cu đơ" not in html and "Rượu men" not in html
    assert "Thái Nguyên" in html and "Dịch vụ du lịch" in html


def test_search_page_without_diacritics(client, portal):
    html = client.get("/tim-kiem/", {"q": "mien dong"}).content.decode()
    assert "Miến dong Nam Mẫu" in html
    html = client.get("/tim-kiem/", {"q": "keo", "het_han": "1"}).content.decode()
    assert "Kẹo cu đơ" in html and "Hết hiệu lực" in html
    html = client.get(
        "/tim-kiem/", {"sao": "abc", "trang": "x", "tinh": "zz", "nhom": "<b>"}
    ).content.decode()
    assert "3 sản phẩm" in html


def test_product_page_shows_certificate_and_no_personal_data(client, portal):
    url = product_url(client, portal.mien)
    assert url.endswith(f"/san-pham-ocop/{portal.mien.pk}-mien-dong-nam-mau/")
    response = client.get(url)
    html = response.content.decode()
    assert "Còn hiệu lực" in html and "123/QĐ-UBND" in html
    assert "Hiệu lực" in html and re.search(r"từ \d\d/\d\d/\d{4} đến hết \d\d/\d\d/\d{4}", html)
    for secret in PERSONAL:
        assert secret not in html
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert 'property="og:title"' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Product" and data["brand"]["@type"] == "Organization"


def test_expired_product_page_says_so_revoked_says_gone(client, portal):
    html = client.get(product_url(client, portal.keo)).content.decode()
    assert "Hết hiệu lực" in html
    revoked = client.get(f"/san-pham-ocop/{portal.ruou.pk}/")
    page = revoked.content.decode()
    assert revoked.status_code == 410 and "đã bị thu hồi công nhận OCOP" in page
    assert "Rượu men lá" in page and 'name="robots" content="noindex' in page
    assert 'type="application/ld+json"' not in page  # no Product markup for what is no longer OCOP
    assert client.get(f"/san-pham-ocop/{portal.banh.pk}/").status_code == 404  # never recognised


def test_entity_page_public_fields_only(client, portal):
    response = client.get(f"/chu-the-ocop/{portal.world.entities.nam_mau.pk}/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "HTX Miến dong Nam Mẫu" in html
    assert '"@type": "Organization"' in html
    for secret in PERSONAL:
        assert secret not in html
    assert client.get("/chu-the-ocop/999999/").status_code == 404


def test_province_page_figures(client, portal):
    response = client.get(f"/tinh/{portal.world.places.thai_nguyen.pk}/", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<b>3</b> còn hiệu lực" in html
    response = client.get(f"/tinh/{portal.world.places.bac_kan.pk}/", follow=True)
    assert "trước 01/07/2025" in response.content.decode()


def test_tourism_map_has_group_vi_points(client, portal):
    html = client.get("/du-lich-cong-dong/").content.decode()
    assert "Điểm du lịch cộng đồng Pác Ngòi" in html and "<circle" in html
    assert "Miến dong Nam Mẫu</a>" not in html


def test_sitemap_and_robots(client, portal):
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/san-pham-ocop/{portal.mien.pk}-mien-dong-nam-mau/" in xml
    assert f"/san-pham-ocop/{portal.ruou.pk}-" not in xml
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /quan-ly/" in robots


def _weight(client, url: str) -> int:
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    html = response.content.decode()
    total = len(response.content)
    for asset in re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        with open(finders.find(asset), "rb") as handle:
            total += len(handle.read())
    assert "<script src=" not in html or "static" in html  # no third-party scripts
    assert "https://fonts." not in html and "cdn" not in html.lower()
    return total


def test_every_public_page_is_under_100_kb(client, portal):
    urls = [
        "/",
        "/tim-kiem/?q=mien+dong",
        "/tim-kiem/",
        f"/san-pham-ocop/{portal.mien.pk}/",
        f"/chu-the-ocop/{portal.world.entities.nam_mau.pk}/",
        f"/tinh/{portal.world.places.thai_nguyen.pk}/",
        "/du-lich-cong-dong/",
    ]
    for url in urls:
        size = _weight(client, url)
        assert size < BUDGET, f"{url}: {size} bytes"


def test_home_figures_from_one_scan_match_separate_counts(portal):
    from django.db.models import Count

    from ocop.portal.search import base_listing
    from ocop.portal.selectors import home_figures, province_tiles

    figures = home_figures()
    assert figures.total == base_listing().count() == 3  # mien, che, homestay in force
    by_group = dict(base_listing().values_list("group_code").annotate(n=Count("pk")).order_by())
    assert {t.code: t.count for t in figures.groups if t.count} == by_group
    assert figures.provinces == province_tiles()
    assert sum(t.count for t in figures.provinces) == 3
