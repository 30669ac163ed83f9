from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocop.geography.lookup_errors import UnitAmbiguous, UnitLookupError, UnitNotFound
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.geography.names import accent_key, match_key, readings
from ocop.geography.resolver import UnitResolver, resolve_commune, resolve_district, resolve_province

LEGACY, NEW = Generation.LEGACY, Generation.REFORM_2025
pytestmark = pytest.mark.django_db

ABBREVIATIONS = {
    "Xã": "X.",
    "Thị trấn": "TT.",
    "Phường": "P.",
    "Huyện": "H.",
    "Thành phố": "TP.",
    "Thị xã": "Tx.",
    "Quận": "Q.",
    "Tỉnh": "T.",
}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def spellings(unit: AdminUnit) -> list[str]:
    """Ways an officer may write a unit: bare, full, abbreviated (with and without space), upper, NFD,
    padded with spaces."""
    abbreviation = ABBREVIATIONS[unit.type_name]
    bare = unit.name[len(unit.type_name) + 1 :]
    return [
        bare,
        unit.name,
        f"{abbreviation} {bare}",
        f"{abbreviation}{bare}",
        unit.name.upper(),
        nfd(unit.name),
        nfd(f"{abbreviation}{bare}".lower()),
        f"  {unit.name.lower()}  ".replace(" ", "  "),
    ]


@pytest.fixture
def resolver() -> UnitResolver:
    return UnitResolver()


@pytest.fixture
def bac_kan() -> AdminUnit:
    return AdminUnit.objects.get(generation=LEGACY, level=Level.PROVINCE, code="06")


# -- keys ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hoà", "Hòa"),
        ("Thuỷ", "Thủy"),
        ("Sĩ Bình", "Sỹ Bình"),
        ("Kỳ Anh", "Kì Anh"),
        ("Quy Nhơn", "Qui Nhơn"),
        ("01", "1"),
        ("Bằng-Thành", "bang thanh"),
        (nfd("Thuỷ"), "Thủy"),
    ],
)
def test_spelling_variants_share_a_match_key(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize(("a", "b"), [("Tây", "Tai"), ("Thủy", "Thui"), ("Huy", "Hui"), ("Yên", "Iên")])
def test_different_rhymes_are_not_merged(a, b):
    assert match_key(a) != match_key(b)


def test_accent_key_ignores_tone_placement_but_not_tones():
    assert accent_key("Hoà Mục") == accent_key("Hòa Mục") == accent_key(nfd("HOÀ MỤC"))
    assert accent_key("Cẩm Giang") != accent_key("Cẩm Giàng")


@pytest.mark.parametrize(
    ("typed", "type_name", "name"),
    [
        ("X.Bằng Thành", "Xã", "Bằng Thành"),
        ("TT. Chợ Rã", "Thị trấn", "Chợ Rã"),
        ("tt Chợ Rã", "Thị trấn", "Chợ Rã"),
        ("P.1", "Phường", "1"),
        ("P1", "Phường", "1"),
        ("phường 01", "Phường", "01"),
        ("xa bang thanh", "Xã", "bang thanh"),
        ("Thi tran Cho Ra", "Thị trấn", "Cho Ra"),
        ("Đặc khu Côn Đảo", "Đặc khu", "Côn Đảo"),
    ],
)
def test_commune_type_words_and_abbreviations_are_read(typed, type_name, name):
    assert readings(typed, Level.COMMUNE)[0].type_name == type_name
    assert readings(typed, Level.COMMUNE)[0].name == name


def test_a_name_that_only_looks_like_a_type_word_is_kept_whole():
    # "Xà Phìn" is a commune name, not "Xã Phìn".
    assert [r.type_name for r in readings("Xà Phìn", Level.COMMUNE)] == [None]
    assert [r.type_name for r in readings("Xa Phin", Level.COMMUNE)] == ["Xã", None]


# -- provinces ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["Bắc Kạn", "Tỉnh Bắc Kạn", "T. Bắc Kạn", "tinh bac kan", "BẮC KẠN", nfd("Tỉnh Bắc Kạn"), "  bắc   kạn "],
)
def test_province_only_in_legacy_generation(typed, bac_kan):
    assert resolve_province(typed) == bac_kan


def test_province_in_both_generations_prefers_2025_unless_asked():
    assert resolve_province("Thái Nguyên").generation == NEW
    assert resolve_province("Thái Nguyên", generation=LEGACY).generation == LEGACY
    assert resolve_province("Thái Nguyên", on_date=date(2025, 6, 30)).generation == LEGACY
    assert resolve_province("Thái Nguyên", on_date=date(2025, 7, 1)).generation == NEW
    with pytest.raises(UnitNotFound):
        resolve_province("Bắc Kạn", on_date=date(2025, 7, 1))


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("TP HCM", "Thành phố Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("HN", "Thành phố Hà Nội"),
        ("Khánh Hoà", "Tỉnh Khánh Hòa"),
        ("tp.hà nội", "Thành phố Hà Nội"),
    ],
)
def test_province_spellings(typed, name):
    assert resolve_province(typed).name == name


def test_unknown_province_suggests(resolver):
    with pytest.raises(UnitNotFound) as error:
        resolver.resolve_province("Bắc Cạn")
    assert error.value.message.startswith("Không tìm thấy tỉnh “Bắc Cạn”.")
    assert "Tỉnh Bắc Kạn" in error.value.message
    assert isinstance(error.value, UnitLookupError) and isinstance(error.value, ValueError)


# -- districts ------------------------------------------------------------------------------------------


def test_every_bac_kan_district_in_every_spelling(resolver, bac_kan):
    districts = AdminUnit.objects.filter(level=Level.DISTRICT, province=bac_kan)
    assert districts.count() == 8
    for district in districts:
        for typed in spellings(district):
            assert resolver.resolve_district(typed, province=bac_kan) == district, typed


def test_district_type_word_decides_between_namesakes(resolver):
    ha_tinh = resolver.resolve_province("Hà Tĩnh", generation=LEGACY)
    assert resolver.resolve_district("H. Kì Anh", province=ha_tinh).name == "Huyện Kỳ Anh"
    assert resolver.resolve_district("TX Kỳ Anh", province=ha_tinh).name == "Thị xã Kỳ Anh"
    with pytest.raises(UnitAmbiguous) as error:
        resolver.resolve_district("Kì Anh", province=ha_tinh)
    assert {u.name for u in error.value.candidates} == {"Huyện Kỳ Anh", "Thị xã Kỳ Anh"}
    assert "Huyện Kỳ Anh (Tỉnh Hà Tĩnh)" in error.value.message


def test_district_through_the_new_province(resolver):
    thai_nguyen = resolver.resolve_province("Thái Nguyên")
    assert resolver.resolve_district("H. Ba Bể", province=thai_nguyen).province.name == "Tỉnh Bắc Kạn"


# -- communes -------------------------------------------------------------------------------------------


def test_every_bac_kan_commune_in_every_spelling(resolver, bac_kan):
    """All 108 communes, each written several ways, with district and province written several ways."""
    communes = list(AdminUnit.objects.filter(level=Level.COMMUNE, province=bac_kan).select_related("parent"))
    assert len(communes) == 108
    province_spellings = ["Bắc Kạn", "Tỉnh Bắc Kạn", "T.Bắc Kạn", "TINH BAC KAN", nfd("tỉnh bắc kạn")]
    with CaptureQueriesContext(connection) as queries:
        for n, commune in enumerate(communes):
            province = resolver.resolve_province(province_spellings[n % len(province_spellings)])
            district_text = spellings(commune.parent)[n % 8]
            district = resolver.resolve_district(district_text, province=province)
            assert district == commune.parent, district_text
            for typed in spellings(commune):
                assert resolver.resolve_commune(typed, district=district) == commune, typed
                assert resolver.resolve_commune(typed, province=province) == commune, typed
            dated = resolver.resolve_commune(commune.name, province=province, on_date=date(2024, 5, 1))
            assert dated == commune
    assert len(queries) <= 2, "the resolver reads the provinces, then Bắc Kạn once — not once per row"


def test_module_functions(bac_kan):
    district = resolve_district("H. Pác Nặm", province=bac_kan)
    commune = resolve_commune("X.Bằng Thành", district=district)
    assert commune.full_name() == "Xã Bằng Thành, Huyện Pác Nặm, Tỉnh Bắc Kạn"
    assert resolve_commune("Bằng Thành", province=bac_kan) == commune


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Sĩ Bình", "Xã Sỹ Bình"),
        ("Hoà Mục", "Xã Hòa Mục"),
        ("Liêm Thuỷ", "Xã Liêm Thủy"),
        ("Cao Kì", "Xã Cao Kỳ"),
        ("xa si binh", "Xã Sỹ Bình"),
        ("X. HOÀ MỤC", "Xã Hòa Mục"),
        ("Xã Chợ Rã", "Thị trấn Chợ Rã"),
    ],
)
def test_tricky_bac_kan_names(resolver, bac_kan, typed, name):
    assert resolver.resolve_commune(typed, province=bac_kan).name == name


def test_numbered_wards(resolver):
    hcm = resolver.resolve_province("TP.HCM", generation=LEGACY)
    district = resolver.resolve_district("Q.3", province=hcm)
    assert district.name == "Quận 3"
    for typed in ["Phường 1", "P.1", "P1", "phường 01", "P. 01", "1"]:
        assert resolver.resolve_commune(typed, district=district).name == "Phường 1", typed


def test_type_word_decides_between_namesakes(resolver):
    hanoi = resolver.resolve_province("Hà Nội", generation=LEGACY)
    gia_lam = resolver.resolve_district("H. Gia Lâm", province=hanoi)
    assert resolver.resolve_commune("TT Yên Viên", district=gia_lam).name == "Thị trấn Yên Viên"
    assert resolver.resolve_commune("Thị trấn Yên Viên", district=gia_lam).name == "Thị trấn Yên Viên"
    assert resolver.resolve_commune("X. Yên Viên", district=gia_lam).name == "Xã Yên Viên"
    with pytest.raises(UnitAmbiguous) as error:
        resolver.resolve_commune("Yên Viên", district=gia_lam)
    assert {u.name for u in error.value.candidates} == {"Thị trấn Yên Viên", "Xã Yên Viên"}
    assert error.value.message.startswith("Có nhiều đơn vị tên “Yên Viên”: ")


def test_diacritics_decide_between_names_that_fold_alike(resolver):
    hai_phong = resolver.resolve_province("Hải Phòng")
    assert resolver.resolve_commune("Cẩm Giàng", province=hai_phong).name == "Xã Cẩm Giàng"
    assert resolver.resolve_commune("Cẩm Giang", province=hai_phong).name == "Xã Cẩm Giang"
    with pytest.raises(UnitAmbiguous):
        resolver.resolve_commune("cam giang", province=hai_phong)
    # An accented type word shows the name is written with its accents too: "Thanh An" is not "Thạnh An".
    hcm = resolver.resolve_province("Hồ Chí Minh")
    assert resolver.resolve_commune("Xã Thanh An", province=hcm).name == "Xã Thanh An"
    assert resolver.resolve_commune("Thạnh An", province=hcm).name == "Xã Thạnh An"
    with pytest.raises(UnitAmbiguous):
        resolver.resolve_commune("xa thanh an", province=hcm)


def test_new_generation_communes(resolver):
    thai_nguyen = resolver.resolve_province("Thái Nguyên")
    communes = AdminUnit.objects.filter(level=Level.COMMUNE, province=thai_nguyen)
    assert communes.count() == 92
    for commune in communes:
        assert resolver.resolve_commune(commune.name.upper(), province=thai_nguyen) == commune
    # After the reform a Bắc Kạn row names the new commune, found through Thái Nguyên.
    bac_kan = resolver.resolve_province("Bắc Kạn")
    assert resolver.resolve_commune("Xã Chợ Rã", province=bac_kan, on_date=date(2025, 8, 1)).generation == NEW


def test_generation_follows_the_date(resolver):
    thai_nguyen = resolver.resolve_province("Thái Nguyên")
    old = resolver.resolve_commune("Sĩ Bình", province=thai_nguyen, on_date=date(2024, 1, 1))
    assert (old.name, old.generation) == ("Xã Sỹ Bình", LEGACY)
    with pytest.raises(UnitNotFound):
        resolver.resolve_commune("Sĩ Bình", province=thai_nguyen, on_date=date(2025, 7, 1))
    # Without a date the new generation comes first, the old one is the fallback.
    assert resolver.resolve_commune("Sĩ Bình", province=thai_nguyen).generation == LEGACY
    assert resolver.resolve_commune("Chợ Rã", province=thai_nguyen).name == "Xã Chợ Rã"


def test_ambiguous_nationwide_lists_candidates_with_their_parents(resolver):
    with pytest.raises(UnitAmbiguous) as error:
        resolver.resolve_commune("Tân Lập", generation=LEGACY)
    assert len(error.value.candidates) > 10
    candidates = error.value.candidates
    assert all(u.short_name == "Tân Lập" and u.generation == LEGACY for u in candidates)
    # Candidates come in code order, so Bắc Kạn's (province 06) is among the first ten listed.
    assert "Xã Tân Lập (Huyện Chợ Đồn, Tỉnh Bắc Kạn); " in error.value.message
    assert error.value.message.endswith(
        f"… và {len(candidates) - 10} đơn vị khác. Hãy ghi rõ loại đơn vị hoặc đơn vị cấp trên."
    )


def test_unknown_commune_suggests_close_names(resolver, bac_kan):
    pac_nam = resolver.resolve_district("Pác Nặm", province=bac_kan)
    with pytest.raises(UnitNotFound) as error:
        resolver.resolve_commune("Bằng Thàn", district=pac_nam)
    assert error.value.message == (
        "Không tìm thấy xã “Bằng Thàn” thuộc Huyện Pác Nặm, Tỉnh Bắc Kạn. Có phải: Xã Bằng Thành?"
    )
    with pytest.raises(UnitNotFound) as error:
        resolver.resolve_commune("Zzzz", district=pac_nam)
    assert error.value.message == "Không tìm thấy xã “Zzzz” thuộc Huyện Pác Nặm, Tỉnh Bắc Kạn."
    with pytest.raises(UnitNotFound) as error:
        resolver.resolve_commune("   ", province=bac_kan)
    assert error.value.message == "Chưa ghi tên xã thuộc Tỉnh Bắc Kạn."


def test_answers_and_failures_are_remembered(resolver, bac_kan):
    resolver.resolve_commune("Sĩ Bình", province=bac_kan)
    for _ in range(2):
        with pytest.raises(UnitNotFound):
            resolver.resolve_commune("Không Có", province=bac_kan)
    with CaptureQueriesContext(connection) as queries:
        assert resolver.resolve_commune("Sĩ Bình", province=bac_kan).name == "Xã Sỹ Bình"
        with pytest.raises(UnitNotFound, match="Không Có"):
            resolver.resolve_commune("Không Có", province=bac_kan)
    assert len(queries) == 0


def test_commune_of_another_district_is_not_found(resolver, bac_kan):
    ba_be = resolver.resolve_district("Ba Bể", province=bac_kan)
    with pytest.raises(UnitNotFound, match="Bằng Thành"):
        resolver.resolve_commune("Bằng Thành", district=ba_be)
