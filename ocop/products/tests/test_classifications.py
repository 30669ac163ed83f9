from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ocop.products.loader import (
    classification_data,
    current_classification,
    group_code_for,
    load_product_classifications,
)
from ocop.products.models import Classification, ProductGroup, ProductSet

# A conftest may already have loaded the data in the session database; the loader is idempotent, so every
# test calls it itself and only asserts on what the JSON defines.


def _snapshot() -> dict[str, list]:
    return {
        "classifications": list(
            Classification.objects.order_by("id").values_list(
                "id", "code", "name", "valid_from", "valid_to", "is_current"
            )
        ),
        "groups": list(
            ProductGroup.objects.order_by("id").values_list("id", "classification_id", "code", "name")
        ),
        "sets": list(
            ProductSet.objects.order_by("id").values_list(
                "id", "group_id", "number", "code", "branch", "name"
            )
        ),
    }


def test_json_shape():
    data = classification_data()["classifications"]
    assert [c["code"] for c in data] == ["148/2023", "1048/2019"]
    assert sum(1 for c in data if c["is_current"]) == 1
    for cls in data:
        assert [g["code"] for g in cls["groups"]] == ["I", "II", "III", "IV", "V", "VI"]
        numbers = [s["number"] for g in cls["groups"] for s in g["sets"]]
        assert numbers == list(range(1, 27))
        codes = [s["code"] for g in cls["groups"] for s in g["sets"]]
        assert len(set(codes)) == 26
        for group in cls["groups"]:
            for pset in group["sets"]:
                assert pset["code"].split(".")[0] == group["code"]
    c1048 = data[1]
    assert "thứ cấp" in c1048["source_note"]
    assert {g["maps_to"] for g in c1048["groups"]} <= {"I", "II", "III", "IV", "V", "VI"}
    for group in data[0]["groups"]:
        assert group["aliases"], group["code"]


@pytest.mark.django_db
def test_load_creates_two_versions_with_six_groups_and_26_sets():
    load_product_classifications()
    for code in ("148/2023", "1048/2019"):
        cls = Classification.objects.get(code=code)
        group_codes = list(cls.groups.order_by("id").values_list("code", flat=True))
        assert group_codes == ["I", "II", "III", "IV", "V", "VI"]
        sets = ProductSet.objects.filter(group__classification=cls)
        assert sets.count() == 26
        assert sorted(sets.values_list("number", flat=True)) == list(range(1, 27))

    c148 = Classification.objects.get(code="148/2023")
    assert c148.name == "Quyết định 148/QĐ-TTg ngày 24/02/2023"
    assert str(c148.valid_from) == "2023-02-24" and c148.valid_to is None and c148.is_current
    c1048 = Classification.objects.get(code="1048/2019")
    assert str(c1048.valid_from) == "2019-08-21" and str(c1048.valid_to) == "2023-02-23"
    assert not c1048.is_current

    groups = dict(c148.groups.values_list("code", "name"))
    assert groups["III"] == "Dược liệu và sản phẩm từ dược liệu"
    assert groups["VI"] == "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"
    assert dict(c1048.groups.values_list("code", "name"))["V"] == "Lưu niệm – nội thất – trang trí"

    def set_of(cls, number):
        return ProductSet.objects.select_related("group").get(group__classification=cls, number=number)

    first = set_of(c148, 1)
    assert (first.code, first.name, first.branch, first.group.code) == (
        "I.1.a",
        "Rau, củ, quả, hạt tươi",
        "Thực phẩm tươi sống",
        "I",
    )
    assert set_of(c148, 7).code == "I.3.c"
    assert set_of(c148, 13).code == "I.6"
    assert (set_of(c148, 21).code, set_of(c148, 21).group.code) == ("IV.1", "IV")
    assert [set_of(c148, n).group.code for n in (23, 24, 25)] == ["V", "V", "V"]
    assert [set_of(c148, n).name for n in (23, 24, 25)] == ["Hoa", "Cây cảnh", "Động vật cảnh"]
    assert (set_of(c148, 26).code, set_of(c148, 26).group.code) == ("VI.1", "VI")

    # 1048: no ornamental sets; separate meat / seafood and two handicraft sets.
    names_1048 = set(ProductSet.objects.filter(group__classification=c1048).values_list("name", flat=True))
    assert {
        "Chế biến từ thịt, trứng, sữa",
        "Chế biến từ thủy, hải sản",
        "Thủ công mỹ nghệ gia dụng",
        "Thủ công mỹ nghệ, trang trí",
        "Trang thiết bị, dụng cụ y tế",
        "Mỹ phẩm",
        "Thảo dược khác",
    } <= names_1048
    assert not names_1048 & {"Hoa", "Cây cảnh", "Động vật cảnh"}
    assert set_of(c1048, 26).group.code == "VI"

    assert current_classification() == c148


@pytest.mark.django_db
def test_second_run_changes_nothing():
    load_product_classifications()
    before = _snapshot()
    stats = load_product_classifications()
    assert _snapshot() == before
    assert stats == {"classifications": 2, "groups": 12, "sets": 52, "created": 0, "updated": 0}


@pytest.mark.django_db
def test_load_repairs_edited_rows_and_demotes_other_current():
    load_product_classifications()
    pset = ProductSet.objects.get(group__classification__code="148/2023", number=1)
    pset.name = "sửa tay"
    pset.save()
    other = Classification.objects.create(
        code="test/1999", name="Thử", valid_from="1999-01-01", is_current=True
    )
    stats = load_product_classifications()
    assert stats["updated"] == 2 and stats["created"] == 0
    pset.refresh_from_db()
    other.refresh_from_db()
    assert pset.name == "Rau, củ, quả, hạt tươi"
    assert not other.is_current
    assert current_classification().code == "148/2023"


@pytest.mark.django_db
def test_management_command_prints_summary():
    out = StringIO()
    call_command("load_product_classifications", stdout=out)
    call_command("load_product_classifications", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 2
    assert lines[-1].startswith("Danh mục sản phẩm: 2 phiên bản, 12 nhóm, 52 bộ sản phẩm")
    assert "thêm mới 0, cập nhật 0" in lines[-1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # official names, any case / diacritics / spacing
        ("Thực phẩm", "I"),
        ("THỰC PHẨM", "I"),
        ("thuc pham", "I"),
        ("  Đồ   uống ", "II"),
        ("Dược liệu và sản phẩm từ dược liệu", "III"),
        ("DUOC LIEU VA SAN PHAM TU DUOC LIEU", "III"),
        ("Hàng thủ công mỹ nghệ", "IV"),
        ("Sinh vật cảnh", "V"),
        ("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", "VI"),
        # aliases officers use
        ("Dược liệu", "III"),
        ("Thảo dược", "III"),
        ("Thủ công mỹ nghệ", "IV"),
        ("Du lịch", "VI"),
        ("Dịch vụ du lịch", "VI"),
        ("Nhóm sản phẩm đồ uống", "II"),
        ("Sản phẩm thực phẩm", "I"),
        # 1048-era names map to their 148 group
        ("Lưu niệm – nội thất – trang trí", "IV"),
        ("Vải và may mặc", "IV"),
        ("Dịch vụ du lịch nông thôn, bán hàng", "VI"),
        # set / branch names and a longer text starting with a known name
        ("Thực phẩm chức năng", "III"),
        ("Rượu trắng", "II"),
        ("Hoa", "V"),
        ("Thực phẩm chế biến", "I"),
        ("Du lịch cộng đồng bản Lác", "VI"),
        # roman codes
        ("I", "I"),
        ("ii", "II"),
        ("III", "III"),
        (" iv ", "IV"),
        ("V", "V"),
        ("vi", "VI"),
        ("Nhóm IV", "IV"),
        ("I. Thực phẩm", "I"),
        ("II - Đồ uống", "II"),
        ("V - Lưu niệm – nội thất – trang trí", "IV"),
        ("VI. Homestay bản Lác", "VI"),
        ("I.1.a", "I"),
        ("III.1", "III"),
        # garbage
        (None, None),
        ("", None),
        ("   ", None),
        ("VII", None),
        ("7", None),
        ("Điện tử", None),
        ("xyz thực phẩm", None),
        ("Nhóm", None),
    ],
)
def test_group_code_for(text, expected):
    assert group_code_for(text) == expected


def test_group_code_for_covers_every_current_name_and_alias():
    current = next(c for c in classification_data()["classifications"] if c["is_current"])
    for group in current["groups"]:
        for text in [group["name"], group["code"], *group["aliases"]]:
            assert group_code_for(text) == group["code"], text
        for pset in group["sets"]:
            assert group_code_for(pset["name"]) == group["code"], pset["name"]
            assert group_code_for(pset["code"]) == group["code"], pset["code"]
