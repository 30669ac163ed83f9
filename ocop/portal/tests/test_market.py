"""Where to buy and when to meet (issue 23): /diem-ban/, /hoi-cho/, /ban-do/ and its points."""

from __future__ import annotations

import json
import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def _follow(client, url: str):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response, response.content.decode()


# -- points of sale --------------------------------------------------------------------------------------
def test_directory_lists_open_points_by_province_and_commune_of_today(client, market):
    _response, html = _follow(client, "/diem-ban/")
    assert "Showroom OCOP Chợ Rã" in html and "Cửa hàng đặc sản Hà Tĩnh" in html
    assert "Điểm bán đã đóng cửa" not in html
    # Chợ Rã was registered under a legacy commune: named by its 2025 commune, the old name in brackets.
    assert "Xã Chợ Rã, Tỉnh Thái Nguyên" in html and "trước đây: Thị trấn Chợ Rã, Tỉnh Bắc Kạn" in html
    assert "Huyện Ba Bể" not in html
    thai_nguyen = market.portal.world.places.thai_nguyen
    assert f'<option value="{thai_nguyen.pk}">Thái Nguyên (1)</option>' in html

    _response, html = _follow(client, f"/diem-ban/?tinh={thai_nguyen.pk}")
    assert "Showroom OCOP Chợ Rã" in html and "Cửa hàng đặc sản Hà Tĩnh" not in html
    commune = market.portal.world.places.cho_ra.successor
    assert f'<option value="{commune.pk}">Xã Chợ Rã</option>' in html
    _response, html = _follow(client, f"/diem-ban/?tinh={thai_nguyen.pk}&xa={commune.pk}")
    assert "Showroom OCOP Chợ Rã" in html
    # Nonsense filters are ignored, not errors.
    _response, html = _follow(client, "/diem-ban/?tinh=abc&xa=-3&trang=zz")
    assert "Showroom OCOP Chợ Rã" in html


def test_place_page_shows_address_opening_notes_products_in_force_and_a_map(client, market):
    response = client.get(f"/diem-ban/{market.chora.pk}/")
    assert response.status_code == 301
    url = response["Location"]
    assert url == f"/diem-ban/{market.chora.pk}-showroom-ocop-cho-ra/"
    response, html = _follow(client, url)
    assert "Tổ 5, thị trấn Chợ Rã" in html and "7:30–17:00 hằng ngày" in html
    assert "Miến dong Nam Mẫu" in html  # in force
    assert "Kẹo cu đơ" not in html and "Rượu men lá" not in html  # expired, revoked: not carried publicly
    chora = market.portal.world.places.cho_ra
    assert f'data-lat="{chora.latitude:f}"' in html  # the commune's coordinates (the point has none)
    assert 'data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    data = _json_ld(html)
    assert data["@type"] == "Store" and data["name"] == "Showroom OCOP Chợ Rã"
    assert response["Content-Security-Policy"].count("https://tile.openstreetmap.org") == 1


def test_closed_or_unknown_place_is_not_found(client, market):
    assert client.get(f"/diem-ban/{market.closed.pk}/").status_code == 404
    assert client.get("/diem-ban/999999/").status_code == 404
    assert client.get("/diem-ban/99999999999999999999/").status_code == 404


def test_tiles_are_allowed_on_map_pages_only(client, market):
    strict = client.get("/")["Content-Security-Policy"]
    assert "tile.openstreetmap.org" not in strict and "img-src 'self' data: blob:;" in strict
    for url in ("/ban-do/", f"/diem-ban/{market.chora.pk}-showroom-ocop-cho-ra/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "img-src 'self' data: blob: https://tile.openstreetmap.org;" in policy, url
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy


@override_settings(
    OCOP_MAP_TILES={"url": "https://{s}.tiles.example.org/{z}/{x}/{y}.png", "attribution": "x"}
)
def test_tile_host_comes_from_the_settings(client, market):
    response = client.get("/ban-do/")
    assert "https://*.tiles.example.org" in response["Content-Security-Policy"]
    assert 'data-tiles="https://{s}.tiles.example.org/{z}/{x}/{y}.png"' in response.content.decode()


# -- fairs -----------------------------------------------------------------------------------------------
def test_fair_calendar_upcoming_first_then_past(client, market):
    _response, html = _follow(client, "/hoi-cho/")
    assert html.index("Hội chợ OCOP Ba Bể") < html.index("Hội chợ OCOP 2023")
    assert html.index("Sắp diễn ra") < html.index("Hội chợ OCOP Ba Bể") < html.index("Đã diễn ra")
    assert "Sở Công Thương" in html and "Bờ hồ Ba Bể" in html


def test_fair_page_dates_place_organiser_producers_and_products(client, market):
    response, html = _follow(client, f"/hoi-cho/{market.upcoming.pk}/")
    assert response.redirect_chain[0][0] == f"/hoi-cho/{market.upcoming.pk}-hoi-cho-ocop-ba-be/"
    start = market.upcoming.start_date.strftime("%d/%m/%Y")
    assert f"Từ {start} đến hết" in html and "Bờ hồ Ba Bể" in html and "12 gian hàng" in html
    assert "Sở Công Thương" in html and "HTX Miến dong Nam Mẫu" in html and "Miến dong Nam Mẫu" in html
    assert "5123000" not in html and "5.123.000" not in html  # sales figures are not public
    data = _json_ld(html)
    assert data["@type"] == "Event" and data["startDate"] == market.upcoming.start_date.isoformat()
    # No products entered for the 2023 fair: its producers' products in force are shown.
    _response, html = _follow(client, f"/hoi-cho/{market.past.pk}/")
    assert (
        "Sản phẩm OCOP còn hiệu lực của các chủ thể tham gia" in html and "Chè Shan tuyết Đồng Thắng" in html
    )
    assert client.get("/hoi-cho/999999/").status_code == 404


# -- the map ---------------------------------------------------------------------------------------------
def test_map_page_lists_and_filters_without_the_map(client, market):
    _response, html = _follow(client, "/ban-do/")
    assert 'id="ban-do"' in html and 'data-points="/ban-do/diem.json"' in html
    assert "3 sản phẩm OCOP còn hiệu lực" in html and "Showroom OCOP Chợ Rã" in html
    assert (
        "vendor/leaflet/leaflet.js" in html
        and "vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    )
    _response, html = _follow(client, "/ban-do/?sao=5")
    assert "1 sản phẩm OCOP còn hiệu lực" in html and "Chè Shan tuyết Đồng Thắng" in html
    assert 'data-points="/ban-do/diem.json?sao=5"' in html
    ha_tinh = market.portal.world.places.ha_tinh
    _response, html = _follow(client, f"/ban-do/?tinh={ha_tinh.pk}")
    assert "0 sản phẩm OCOP còn hiệu lực" in html and "Cửa hàng đặc sản Hà Tĩnh" in html
    assert "Showroom OCOP Chợ Rã" not in html


def test_map_points_count_products_in_force_per_commune_of_today(client, market):
    places = market.portal.world.places
    data = json.loads(client.get("/ban-do/diem.json").content)
    communes = {row[4]: row for row in data["communes"]}
    # mien and homestay (Nam Mẫu → Xã Ba Bể), che (Đồng Thắng → Xã Bạch Thông); keo expired, ruou revoked.
    assert {name: row[2] for name, row in communes.items()} == {"Xã Ba Bể": 2, "Xã Bạch Thông": 1}
    ba_be = places.nam_mau.successor
    assert communes["Xã Ba Bể"][:2] == [round(ba_be.latitude, 5), round(ba_be.longitude, 5)]
    assert communes["Xã Ba Bể"][3] == ba_be.pk
    shops = {row[2]: row for row in data["places"]}
    assert set(shops) == {"Showroom OCOP Chợ Rã", "Cửa hàng đặc sản Hà Tĩnh"}
    assert shops["Cửa hàng đặc sản Hà Tĩnh"][:2] == [18.34, 105.9]  # its own coordinates
    chora = places.cho_ra
    assert shops["Showroom OCOP Chợ Rã"][:2] == [round(chora.latitude, 5), round(chora.longitude, 5)]
    assert shops["Showroom OCOP Chợ Rã"][3] == f"/diem-ban/{market.chora.pk}/"

    data = json.loads(client.get("/ban-do/diem.json", {"nhom": "VI"}).content)
    assert [(row[4], row[2]) for row in data["communes"]] == [("Xã Ba Bể", 1)]


def test_a_map_marker_opens_on_its_products_with_links(client, market):
    ba_be = market.portal.world.places.nam_mau.successor
    data = json.loads(client.get(f"/ban-do/xa/{ba_be.pk}.json").content)
    assert data["name"] == "Xã Ba Bể" and data["count"] == 2
    assert data["products"] == [
        ["Miến dong Nam Mẫu", f"/san-pham-ocop/{market.portal.mien.pk}-mien-dong-nam-mau/", 4],
        [
            "Điểm du lịch cộng đồng Pác Ngòi",
            f"/san-pham-ocop/{market.portal.homestay.pk}-diem-du-lich-cong-dong-pac-ngoi/",
            3,
        ],
    ]
    assert data["url"] == f"/tim-kiem/?xa={ba_be.pk}"
    filtered = json.loads(client.get(f"/ban-do/xa/{ba_be.pk}.json", {"sao": "4"}).content)
    assert [p[0] for p in filtered["products"]] == ["Miến dong Nam Mẫu"]
    assert filtered["url"] == f"/tim-kiem/?sao=4&xa={ba_be.pk}"
    assert client.get("/ban-do/xa/0.json").status_code == 404


def _json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no JSON-LD"
    return json.loads(found.group(1))


def test_new_pages_stay_light(client, market):
    """The portal's page budget (test_pages: 100 KB with their CSS and JS); pages with a map bring Leaflet
    (~150 KB, cached by the browser once)."""
    from ocop.portal.tests.test_pages import BUDGET, _weight

    for url in ("/diem-ban/", "/hoi-cho/", "/xep-hang-tinh/", "/du-lieu-mo/"):
        assert _weight(client, url) < BUDGET, url
    for url in ("/ban-do/", f"/diem-ban/{market.chora.pk}/", f"/hoi-cho/{market.upcoming.pk}/"):
        assert _weight(client, url) < BUDGET + 200 * 1024, url
