"""/xep-hang-tinh/: provinces by products in force on a date, in the date's generation, as the statistics
count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ocop import testing
from ocop.certification.selectors import in_force_stars_by_province
from ocop.portal.ranking_views import ranking_rows
from ocop.portal.tests.conftest import recognise
from ocop.targets.selectors import unit_stats

pytestmark = pytest.mark.django_db


def test_today_ranks_2025_provinces_counting_legacy_registrations(portal):
    places = portal.world.places
    rows = ranking_rows(timezone.localdate())
    assert len(rows) == 34
    first = rows[0]
    assert first.province_id == places.thai_nguyen.pk and first.rank == 1
    assert (first.total, first.five, first.four, first.three) == (3, 1, 1, 1)  # che 5★, mien 4★, homestay 3★
    ha_tinh = next(row for row in rows if row.province_id == places.ha_tinh.pk)
    assert ha_tinh.total == 0 and ha_tinh.rank == 2  # keo expired; equal figures share a rank


def test_a_date_before_the_reform_ranks_the_63_old_provinces(portal):
    places = portal.world.places
    day = dt.date(2025, 6, 30)
    recognise_on(portal.keo, day - dt.timedelta(days=5), stars=4)  # Hà Tĩnh (old) has one then
    rows = ranking_rows(day)
    assert len(rows) == 63
    by_province = {row.province_id: row for row in rows}
    assert places.bac_kan.pk in by_province and places.thai_nguyen.pk not in by_province


def test_ranking_agrees_with_the_statistics_in_force(portal):
    """The ranking's count of a province is `ocop stats`' in_force_total for it (SPEC §3, one meaning)."""
    places = portal.world.places
    day = timezone.localdate()
    counts = in_force_stars_by_province(day=day)
    for province in (places.thai_nguyen, places.ha_tinh):
        stats = unit_stats(province, day)
        assert sum(counts.get(province.pk, {}).values()) == stats["in_force_total"], province
    old_day = dt.date(2024, 12, 31)
    dried = testing.make_product(entity=portal.world.entities.nam_mau, name="Măng khô Nam Mẫu")
    recognise_on(dried, dt.date(2024, 6, 1), stars=4)
    old_counts = in_force_stars_by_province(day=old_day)
    for province in (places.bac_kan,):
        stats = unit_stats(province, old_day)
        assert sum(old_counts.get(province.pk, {}).values()) == stats["in_force_total"] == 1, province


def test_todays_figures_from_the_listing_are_those_of_the_certificates(portal):
    from ocop.portal.ranking_views import in_force_counts

    day = timezone.localdate()
    recognise(testing.make_product(entity=portal.world.entities.ha_tinh, name="Cam Vũ Quang"), 4, 10)
    assert in_force_counts(day) == in_force_stars_by_province(day=day)
    assert in_force_counts(day)[portal.world.places.thai_nguyen.pk] == {3: 1, 4: 1, 5: 1}


def test_ranking_by_stars_puts_five_star_provinces_first(portal):
    places = portal.world.places
    # Hà Tĩnh gets two 5★ products: more stars than Thái Nguyên (one 5★) although fewer products in force.
    ha_tinh = portal.world.entities.ha_tinh
    for name in ("Nước mắm Hà Tĩnh", "Cam Vũ Quang"):
        recognise(testing.make_product(entity=ha_tinh, name=name), 5, 10)
    by_total = ranking_rows(timezone.localdate())
    by_stars = ranking_rows(timezone.localdate(), by_stars=True)
    assert by_total[0].province_id == places.thai_nguyen.pk  # 3 in force against 2
    assert by_stars[0].province_id == places.ha_tinh.pk  # 2 five-star against 1


def test_ranking_page_and_its_date(client, portal):
    html = client.get("/xep-hang-tinh/").content.decode()
    assert "Xếp hạng các tỉnh theo sản phẩm OCOP" in html and "Thái Nguyên" in html
    assert "Cả nước: 3 sản phẩm còn hiệu lực." in html
    html = client.get("/xep-hang-tinh/", {"ngay": "2024-12-31"}).content.decode()
    assert "31/12/2024" in html and "63 tỉnh" in html and "Bắc Kạn" in html
    html = client.get("/xep-hang-tinh/", {"ngay": "không phải ngày", "xep": "<b>"}).content.decode()
    assert timezone.localdate().strftime("%d/%m/%Y") in html


def recognise_on(product, day: dt.date, *, stars: int) -> None:
    from ocop.certification.services.events import event_record

    event_record(product=product, stars=stars, decision_date=day, decision_number="1/QĐ-UBND")
