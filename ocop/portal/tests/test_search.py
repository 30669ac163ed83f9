from __future__ import annotations

import pytest

from ocop.portal.search import SearchQuery, edit_distance, listing_search

pytestmark = pytest.mark.django_db


def names(**kwargs) -> list[str]:
    return [row.name for row in listing_search(SearchQuery(**kwargs)).items]


@pytest.mark.parametrize(
    "q",
    [
        "Miến dong Nam Mẫu",
        "mien dong nam mau",
        "MIẾN DONG",
        "MIEN dong",
        "miến",
        "NAM MAU",
        "mi\u0065\u0302\u0301n dong",
    ],
)
def test_search_ignores_case_and_diacritics_both_ways(portal, q):
    assert names(q=q)[0] == "Miến dong Nam Mẫu"


@pytest.mark.parametrize("q", ["dong thang", "Đồng Thắng", "đồng thắng", "ĐỒNG THẮNG", "dồng thang"])
def test_d_with_stroke_folds_to_d(portal, q):
    assert "Chè Shan tuyết Đồng Thắng" in names(q=q)


def test_entity_name_matches(portal):
    found = names(q="htx mien dong")
    assert found[0] == "Miến dong Nam Mẫu"  # the product name also matches: ranked first
    assert set(found) == {"Miến dong Nam Mẫu", "Điểm du lịch cộng đồng Pác Ngòi"}


@pytest.mark.parametrize("q", ["Bắc Kạn", "bac kan", "Ba Bể", "Chợ Đồn", "Thái Nguyên", "thai nguyen"])
def test_old_and_new_unit_names_match(portal, q):
    found = names(q=q)
    assert "Miến dong Nam Mẫu" in found or "Chè Shan tuyết Đồng Thắng" in found
    assert "Kẹo cu đơ" not in found


def test_successor_commune_name_matches(portal):
    successor = portal.world.places.nam_mau_successor
    if successor.name == portal.world.places.nam_mau.name:
        pytest.skip("the successor keeps the old name")
    assert "Miến dong Nam Mẫu" in names(q=successor.short_name or successor.name)


@pytest.mark.parametrize("q", ["mien dogn", "mein dong", "shan tuyet dong thnag", "chè shan tueyt"])
def test_typos_are_tolerated(portal, q):
    result = listing_search(SearchQuery(q=q))
    assert result.count >= 1
    assert result.items[0].name in {"Miến dong Nam Mẫu", "Chè Shan tuyết Đồng Thắng"}
    assert result.fuzzy


def test_best_match_first(portal):
    assert names(q="che shan tuyet")[0] == "Chè Shan tuyết Đồng Thắng"


def test_revoked_never_listed(portal):
    assert names(q="ruou men") == []
    assert names(q="ruou men", include_expired=True) == []
    assert "Rượu men lá Đồng Thắng" not in names(include_expired=True)


def test_expired_hidden_unless_asked(portal):
    assert names(q="keo cu do") == []
    assert names(q="keo cu do", include_expired=True) == ["Kẹo cu đơ"]


def test_never_recognised_not_listed(portal):
    assert names(q="banh khao", include_expired=True) == []


def test_filters(portal):
    assert names(stars=5) == ["Chè Shan tuyết Đồng Thắng"]
    assert names(stars=4) == ["Miến dong Nam Mẫu"]
    assert names(group="VI") == ["Điểm du lịch cộng đồng Pác Ngòi"]
    assert names(group="vi") == ["Điểm du lịch cộng đồng Pác Ngòi"]
    assert names(stars=3) == ["Điểm du lịch cộng đồng Pác Ngòi"]
    assert names(stars=3, include_expired=True) == ["Điểm du lịch cộng đồng Pác Ngòi", "Kẹo cu đơ"]
    places = portal.world.places
    in_bac_kan = {"Miến dong Nam Mẫu", "Chè Shan tuyết Đồng Thắng", "Điểm du lịch cộng đồng Pác Ngòi"}
    assert set(names(province="Thái Nguyên")) == in_bac_kan
    assert set(names(province="tinh bac kan")) == in_bac_kan
    assert names(province=places.ha_tinh.pk) == []
    assert names(province="Hà Tĩnh", include_expired=True) == ["Kẹo cu đơ"]
    assert names(commune=places.dong_thang.pk) == ["Chè Shan tuyết Đồng Thắng"]
    assert "Miến dong Nam Mẫu" in names(commune=places.nam_mau_successor.pk)


def test_sorts_and_pages(portal):
    che, mien, homestay = "Chè Shan tuyết Đồng Thắng", "Miến dong Nam Mẫu", "Điểm du lịch cộng đồng Pác Ngòi"
    assert names(sort="sao") == [che, mien, homestay]
    assert names(sort="ten") == [che, homestay, mien]  # folded: "che", "diem", "mien"
    assert names(sort="moi") == [che, mien, homestay]
    first = listing_search(SearchQuery(page=1, page_size=2))
    second = listing_search(SearchQuery(page=2, page_size=2))
    assert first.count == second.count == 3 and first.pages == 2
    assert len(first.items) == 2 and len(second.items) == 1
    assert first.items[0].pk != second.items[0].pk
    assert listing_search(SearchQuery(page=99)).items == []


def test_text_search_counts_every_match_on_every_page(portal):
    """The total of a text search travels with its page (one query); a page past the last match still
    reports the total, and no match at all reports zero."""
    everywhere = listing_search(SearchQuery(q="tinh", page_size=1))  # every key holds "tinh"
    assert everywhere.count == 3 and everywhere.pages == 3
    seen = {everywhere.items[0].pk}
    for page in (2, 3):
        result = listing_search(SearchQuery(q="tinh", page=page, page_size=1))
        assert result.count == 3 and len(result.items) == 1
        seen.add(result.items[0].pk)
    assert len(seen) == 3
    past = listing_search(SearchQuery(q="tinh", page=4, page_size=1))
    assert past.count == 3 and past.items == []
    nothing = listing_search(SearchQuery(q="zzzz qqqq"))
    assert nothing.count == 0 and nothing.items == []


def test_product_rename_reaches_the_listing(portal):
    from ocop.products.services import product_update

    product_update(user=portal.world.users.admin, product=portal.mien, data={"name": "Miến dong đặc sản"})
    assert names(q="mien dong dac san") == ["Miến dong đặc sản"]


def test_rebuild_command(portal):
    from django.core.management import call_command

    from ocop.portal.models import PortalListing

    PortalListing.objects.all().delete()
    call_command("rebuild_portal_index", verbosity=0)
    assert PortalListing.objects.count() == 4  # mien, che, homestay (in force), keo (expired)


def test_edit_distance():
    assert edit_distance("dogn", "dong", 2) == 1
    assert edit_distance("thnag", "thang", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2


def test_the_folded_key_is_indexed(portal):
    from django.db import connection

    from ocop.portal import fts, search

    if connection.vendor == "sqlite":
        assert fts.available()
    elif connection.vendor == "postgresql":
        assert search._has_trigram()
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'portal_portallisting'")
            assert "portal_listing_search_trgm" in {row[0] for row in cursor.fetchall()}


def test_short_and_odd_words(portal):
    assert names(q="cu đơ") == []  # expired only
    assert names(q="CU DO", include_expired=True) == ["Kẹo cu đơ"]
    assert names(q='"; DROP TABLE x; --') == []
    assert names(q="  ") == names()


def test_a_province_already_read_is_not_read_again(portal, django_assert_num_queries):
    province = portal.world.places.thai_nguyen
    by_key = listing_search(SearchQuery(province=province.pk))
    with django_assert_num_queries(2):  # the count and the page; no lookup of the province
        by_unit = listing_search(SearchQuery(province=province))
    assert [row.pk for row in by_unit.items] == [row.pk for row in by_key.items] and by_unit.count
    assert by_unit.provinces == [province]
    assert listing_search(SearchQuery(province=portal.world.places.ba_be)).count == 0  # not a province


@pytest.mark.parametrize("q", ["mien dong", "Miến dong Nam Mẫu", "htx mien", "che", "dong thang 100%_x"])
def test_rank_gives_the_documented_points(portal, q):
    from ocop.portal.models import PortalListing
    from ocop.portal.search import PHRASE_POINTS, WORD_POINTS, _rank, _words

    words = _words(q)
    phrase = " ".join(words)
    for row in PortalListing.objects.annotate(rank=_rank(phrase, words)):
        expected = (
            PHRASE_POINTS["name_equal"] * (row.name_key == phrase)
            + PHRASE_POINTS["name_start"] * row.name_key.startswith(phrase)
            + PHRASE_POINTS["name_holds"] * (phrase in row.name_key)
            + PHRASE_POINTS["entity_holds"] * (phrase in row.entity_key)
            + sum(
                WORD_POINTS["name_holds"] * (word in row.name_key)
                + WORD_POINTS["entity_holds"] * (word in row.entity_key)
                for word in words
            )
        )
        assert row.rank == expected, (row.name_key, row.entity_key)


def test_like_patterns_escape_wildcards():
    from ocop.portal.search import _like

    assert _like("a%b_c\\") == "%a\\%b\\_c\\\\%"
    assert _like("gao", start=True) == "gao%"


def test_vocabulary_is_kept_until_the_listing_changes(portal, django_assert_num_queries):
    from ocop.portal.search import Vocabulary
    from ocop.products.services import product_update

    first = Vocabulary.current()
    with django_assert_num_queries(3):  # the fingerprint only
        assert Vocabulary.current() is first
    product_update(user=portal.world.users.admin, product=portal.mien, data={"name": "Miến dong Xuânthủy"})
    changed = Vocabulary.current()
    assert changed is not first and "xuanthuy" in changed.words
    assert listing_search(SearchQuery(q="xuanthuyy")).corrected == "xuanthuy"
