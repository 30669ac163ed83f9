"""Header aliases and cell values as officers write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ocop.imports import headers as H
from ocop.imports.values import (
    parse_date,
    parse_entity_type,
    parse_kind,
    parse_score,
    parse_stars,
    parse_tax_code,
)

TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize(("name", "alias"), [(n, a) for n, aliases in H.ALIASES.items() for a in aliases])
def test_every_alias_maps_to_its_column(name, alias):
    assert H.canonical_for(alias) == name
    assert H.canonical_for(alias.upper()) == name
    assert H.canonical_for(f"  {alias} (*) ") == name


@pytest.mark.parametrize("name", H.CANONICAL)
def test_canonical_headers_match_without_diacritics_spaces_or_case(name):
    from ocop.core.text import fold

    assert H.canonical_for(fold(name).upper().replace(" ", "")) == name
    assert H.canonical_for(name.replace(" ", "  ") + ":") == name


def test_header_row_found_below_title_rows():
    rows = [
        ["UBND TỈNH BẮC KẠN"],
        ["DANH SÁCH SẢN PHẨM OCOP NĂM 2021", ""],
        [],
        ["TT", "Tên SP", "Tên chủ thể", "Xã/phường/thị trấn", "Số sao", "Ngày QĐ"],
        ["1", "Miến", "HTX", "x", 3, ""],
    ]
    header = H.find_header(rows)
    assert header.row_index == 3
    assert header.columns[H.PRODUCT] == 1 and header.labels[H.STARS] == "Số sao"
    assert H.missing(header) == []


@pytest.mark.parametrize(
    ("typed", "stars"),
    [
        (3, 3),
        (4.0, 4),
        ("5", 5),
        ("3 sao", 3),
        ("4 Sao", 4),
        ("3*", 3),
        ("3★", 3),
        ("★★★★", 4),
        ("5 sao OCOP", 5),
        ("", None),
    ],
)
def test_stars(typed, stars):
    assert parse_stars(typed) == stars


@pytest.mark.parametrize("typed", [0, 6, "6 sao", "ba sao", 3.5])
def test_stars_refused(typed):
    with pytest.raises(ValueError):
        parse_stars(typed)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("30/06/2021", dt.date(2021, 6, 30)),
        ("3/9/2020", dt.date(2020, 9, 3)),
        ("2021-06-30", dt.date(2021, 6, 30)),
        ("30-06-2021", dt.date(2021, 6, 30)),
        ("30.06.2021", dt.date(2021, 6, 30)),
        (dt.datetime(2021, 6, 30, 0, 0), dt.date(2021, 6, 30)),
        (dt.date(2019, 1, 2), dt.date(2019, 1, 2)),
        (44377.0, dt.date(2021, 6, 30)),
        ("ngày 30 tháng 6 năm 2021", dt.date(2021, 6, 30)),
        ("", None),
    ],
)
def test_dates(typed, day):
    assert parse_date(typed, today=TODAY) == day


@pytest.mark.parametrize("typed", ["31/02/2021", "30/13/2021", "2021", "hôm qua", "01/01/2030", "01/01/1990"])
def test_dates_refused(typed):
    with pytest.raises(ValueError):
        parse_date(typed, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("Công nhận mới", "new"),
        ("CÔNG NHẬN MỚI", "new"),
        ("cong nhan moi", "new"),
        ("Công nhận", "new"),
        ("Mới", "new"),
        ("Nâng hạng", "upgraded"),
        ("Nâng sao", "upgraded"),
        ("Công nhận lại", "renewed"),
        ("Đánh giá lại", "renewed"),
        ("Tái công nhận", "renewed"),
        ("Thu hồi", "revoked"),
        ("", None),
    ],
)
def test_kind(typed, kind):
    assert parse_kind(typed) == kind


@pytest.mark.parametrize("typed", ["Hạ hạng", "Khen thưởng", "Gia hạn?"])
def test_kind_refused(typed):
    with pytest.raises(ValueError):
        parse_kind(typed)


@pytest.mark.parametrize(
    ("typed", "name", "expected"),
    [
        ("HTX", "", "htx"),
        ("Hợp tác xã", "", "htx"),
        ("Công ty", "", "doanh_nghiep"),
        ("DN", "", "doanh_nghiep"),
        ("Doanh nghiệp", "", "doanh_nghiep"),
        ("Tổ hợp tác", "", "to_hop_tac"),
        ("THT", "", "to_hop_tac"),
        ("Hộ kinh doanh", "", "ho_kinh_doanh"),
        ("Hộ gia đình", "", "ho_kinh_doanh"),
        ("Cơ sở", "", "ho_kinh_doanh"),
        ("", "HTX Tài Hoan", "htx"),
        ("", "Công ty TNHH Hà Diệp", "doanh_nghiep"),
        ("", "Tổ hợp tác Quân Hà", "to_hop_tac"),
        ("", "Cà Thị Bầy", "ho_kinh_doanh"),
        ("", "Cơ sở Hoàng Thị Điển", "ho_kinh_doanh"),
    ],
)
def test_entity_type(typed, name, expected):
    assert parse_entity_type(typed, name) == expected


def test_entity_type_unknown_refused():
    with pytest.raises(ValueError):
        parse_entity_type("Hội nông dân", "x")


def test_score_and_tax_code():
    assert parse_score("91,14") == Decimal("91.14")
    assert parse_score(94) == Decimal("94.00")
    assert parse_score("") is None
    with pytest.raises(ValueError):
        parse_score("101")
    assert parse_tax_code(4700000001.0) == "4700000001"
    assert parse_tax_code(101234567) == "0101234567"
    assert parse_tax_code(" 4700000001-001 ") == "4700000001-001"
    with pytest.raises(ValueError):
        parse_tax_code("12")
