"""`ocop stats` compared key by key with figures worked out by hand from the history in conftest.py."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from ocop.targets.selectors import STATS_KEYS, percent_of, unit_stats

pytestmark = pytest.mark.django_db

ZERO_YEAR = {"new": 0, "upgraded": 0, "renewed": 0, "revoked": 0}


def year(**counts) -> dict:
    return {**ZERO_YEAR, **counts}


def stats(*args: str) -> dict:
    out = io.StringIO()
    call_command("stats", *args, "--json", stdout=out)
    text = out.getvalue()
    assert text.count("\n") <= 1  # exactly one JSON object
    return json.loads(text)


def assert_same(actual: dict, expected: dict) -> None:
    assert list(actual) == list(STATS_KEYS)
    expected = {"ideas_by_year": {}, **expected}  # these histories have no product ideas
    for key in STATS_KEYS:
        assert actual[key] == expected[key], key


BY_YEAR_MID_2025 = {
    "2019": year(new=1),
    "2020": year(new=2),
    "2021": year(new=2, revoked=1),
    "2022": year(new=1, upgraded=1, renewed=1),
    "2023": year(new=1, revoked=1),
    "2025": year(renewed=1),
}


def test_legacy_province_before_the_reform(history):
    result = stats("--province", "bac kan", "--as-of", "2025-06-30")
    assert_same(
        result,
        {
            "province": "Tỉnh Bắc Kạn",
            "as_of": "2025-06-30",
            "recognized_total": 4,  # P1 4★, P2 4★ (lapsed), P5 5★, P8 3★ (recognised again)
            "by_star": {"3": 1, "4": 2, "5": 1},
            "in_force_total": 3,  # P1 renewed on its certificate's last day, P5, P8
            "expired_not_renewed": 1,  # P2: renewed 2022-06-15, certificate ended 2025-06-14
            "expiring_within_30_days": 1,  # P5 ends 2025-07-14
            "revoked_total": 1,  # P3 (P8 was revoked but recognised again)
            "communes_with_products": 2,  # Nam Mẫu, Đồng Thắng — Chợ Rã's only product was revoked
            "communes_total": 108,
            "entities_total": 3,  # E1, E2 (P2 and P5), E8
            "by_group": {"I": 2, "II": 1, "III": 0, "IV": 0, "V": 0, "VI": 1},
            "by_entity_type": {"htx": 2, "doanh_nghiep": 2, "to_hop_tac": 0, "ho_kinh_doanh": 0},
            "by_year": BY_YEAR_MID_2025,
            "targets": [],
        },
    )


def test_legacy_province_at_an_earlier_date(history):
    result = stats("--province", "Tỉnh Bắc Kạn", "--as-of", "2020-12-31")
    assert result["recognized_total"] == 3  # P1 3★, P2 4★, P8 3★
    assert result["by_star"] == {"3": 2, "4": 1, "5": 0}
    assert result["in_force_total"] == 3 and result["expired_not_renewed"] == 0
    assert result["revoked_total"] == 0
    assert result["communes_with_products"] == 2
    assert result["by_year"] == {"2019": year(new=1), "2020": year(new=2)}


def test_renewal_after_expiry_leaves_a_gap(history):
    gap = stats("--province", "Bắc Kạn", "--as-of", "2022-06-10")  # P2's first certificate ended 2022-05-31
    assert gap["expired_not_renewed"] == 1
    assert gap["by_star"] == {"3": 1, "4": 2, "5": 0}  # P1 upgraded to 4★ on 2022-05-20
    assert stats("--province", "Bắc Kạn", "--as-of", "2022-06-15")["expired_not_renewed"] == 0


def test_new_province_after_the_reform_counts_legacy_products_in_successor_communes(history):
    result = stats("--province", "THAI NGUYEN", "--as-of", "2025-12-31")
    assert_same(
        result,
        {
            "province": "Tỉnh Thái Nguyên",
            "as_of": "2025-12-31",
            "recognized_total": 5,  # P1, P2, P5, P8 + P6 registered under a 2025 commune
            "by_star": {"3": 2, "4": 2, "5": 1},
            "in_force_total": 3,  # P1, P8 (ends 2026-01-31), P6
            "expired_not_renewed": 2,  # P2, P5 (ended 2025-07-14)
            "expiring_within_30_days": 0,  # P8 ends 2026-01-31 > 2025-12-31 + 30 days
            "revoked_total": 1,
            "communes_with_products": 3,  # Xã Ba Bể, Xã Bạch Thông, Xã Chợ Rã (P6)
            "communes_total": 92,
            "entities_total": 4,
            "by_group": {"I": 2, "II": 1, "III": 0, "IV": 0, "V": 1, "VI": 1},
            "by_entity_type": {"htx": 3, "doanh_nghiep": 2, "to_hop_tac": 0, "ho_kinh_doanh": 0},
            "by_year": {**BY_YEAR_MID_2025, "2025": year(new=1, renewed=1)},
            "targets": [],
        },
    )


def test_expiring_window_includes_day_thirty(history):
    assert stats("--province", "Thái Nguyên", "--as-of", "2026-01-01")["expiring_within_30_days"] == 1
    assert stats("--province", "Thái Nguyên", "--as-of", "2025-12-31")["expiring_within_30_days"] == 0


def test_legacy_province_after_the_reform_keeps_its_territory(history):
    result = stats("--province", "Bắc Kạn", "--as-of", "2025-12-31")
    assert result["province"] == "Tỉnh Bắc Kạn" and result["communes_total"] == 108
    assert result["recognized_total"] == 4  # P6, registered under a 2025 commune, is not Bắc Kạn's
    assert result["by_year"]["2025"] == year(renewed=1)


def test_name_in_both_generations_follows_the_date(history):
    before = stats("--province", "Thái Nguyên", "--as-of", "2025-06-30")
    assert before["communes_total"] == 172 and before["recognized_total"] == 0  # legacy Thái Nguyên
    forced = stats("--province", "Thái Nguyên", "--as-of", "2025-06-30", "--generation", "2025")
    assert forced["communes_total"] == 92 and forced["recognized_total"] == 4


def test_other_province_is_not_counted(history):
    result = stats("--province", "Hà Tĩnh", "--as-of", "2025-12-31")
    assert result["recognized_total"] == 1 and result["by_year"] == {"2021": year(new=1)}


def test_nothing_before_the_first_decision(history):
    result = stats("--province", "Bắc Kạn", "--as-of", "2019-05-31")
    assert (
        result["recognized_total"] == 0 and result["by_year"] == {} and result["communes_with_products"] == 0
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--province", "Tỉnh Không Có", "--as-of", "2025-01-01"], "Không tìm thấy"),
        (["--province", "Bắc Kạn", "--as-of", "31/12/2025"], "YYYY-MM-DD"),
        (["--province", "Bắc Kạn", "--as-of", "2025-02-30"], "không hợp lệ"),
    ],
)
def test_bad_input_is_refused_with_a_message(places, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("stats", *args, "--json", stdout=io.StringIO())


def test_cli_exit_code_is_non_zero_on_error(places):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(
            ["ocop", "stats", "--province", "Nowhere", "--as-of", "2025-01-01", "--json"]
        ).execute()
    assert exit_info.value.code != 0


def test_district_and_commune_units(history):
    places = history.world.places
    ba_be = unit_stats(places.ba_be, dt.date(2025, 6, 30))
    assert ba_be["recognized_total"] == 1 and ba_be["revoked_total"] == 1 and ba_be["communes_total"] == 15
    cho_ra_2025 = unit_stats(history.cho_ra_2025, dt.date(2025, 12, 31))
    assert cho_ra_2025["recognized_total"] == 1 and cho_ra_2025["revoked_total"] == 1
    assert cho_ra_2025["communes_total"] == 1 and cho_ra_2025["communes_with_products"] == 1


@pytest.mark.parametrize(
    ("actual", "value", "percent"),
    [
        (5, 8, 62.5),
        (1, 6, 16.7),
        (1, 16, 6.3),
        (2, 3, 66.7),
        (1, 3, 33.3),
        (0, 5, 0.0),
        (12, 10, 120.0),
    ],
)
def test_percent_is_rounded_half_up_to_one_decimal(actual, value, percent):
    assert percent_of(actual, value) == percent


def test_one_query_province_path_loads_what_the_general_path_loads(history, places):
    """PostgreSQL loads a 2025 province in one query; both loaders must agree (run on either database)."""
    from django.db import router

    from ocop.products.models import Product
    from ocop.targets.selectors import ProductInfo, _history_rows, _province_history_rows, counted_communes

    alias = router.db_for_read(Product)
    products, events = _province_history_rows(alias, places.thai_nguyen)
    commune_map = counted_communes(places.thai_nguyen)
    rows, expected_events = _history_rows(alias, commune_map)
    expected = {pk: ProductInfo(commune_map[c], e, g, t) for pk, c, e, g, t in rows}
    assert products == expected and len(products) >= 5
    assert events == [tuple(event) for event in expected_events] and len(events) >= 10
