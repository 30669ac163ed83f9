from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.db.models.deletion import ProtectedError

from ocop.geography.loader import UNIT_FIELDS, load_admin_units
from ocop.geography.models import AdminUnit, Generation, Level, UnitSuccession

LEGACY, NEW = Generation.LEGACY, Generation.REFORM_2025
pytestmark = pytest.mark.django_db


def unit(generation: str, level: str, code: str) -> AdminUnit:
    return AdminUnit.objects.get(generation=generation, level=level, code=code)


def legacy_commune(name: str, district: str, province: str = "Tỉnh Bắc Kạn") -> AdminUnit:
    return AdminUnit.objects.get(
        generation=LEGACY, level=Level.COMMUNE, name=name, parent__name=district, province__name=province
    )


def count(generation: str, level: str) -> int:
    return AdminUnit.objects.filter(generation=generation, level=level).count()


def snapshot() -> tuple[list[tuple], list[tuple]]:
    units = list(
        AdminUnit.objects.order_by("pk").values_list("pk", "generation", "level", "code", *UNIT_FIELDS)
    )
    successions = list(
        UnitSuccession.objects.order_by("pk").values_list("pk", "old_unit_id", "new_unit_id", "is_default")
    )
    return units, successions


def test_both_generations_are_loaded():
    assert count(LEGACY, Level.PROVINCE) == 63
    assert count(LEGACY, Level.DISTRICT) == 696
    assert count(LEGACY, Level.COMMUNE) == 10035
    assert count(NEW, Level.PROVINCE) == 34
    assert count(NEW, Level.COMMUNE) == 3321
    assert count(NEW, Level.DISTRICT) == 0


def test_bac_kan_and_thai_nguyen():
    bac_kan = unit(LEGACY, Level.PROVINCE, "06")
    thai_nguyen = unit(NEW, Level.PROVINCE, "19")
    assert bac_kan.name == "Tỉnh Bắc Kạn"
    assert AdminUnit.objects.filter(level=Level.DISTRICT, province=bac_kan).count() == 8
    assert AdminUnit.objects.filter(level=Level.COMMUNE, province=bac_kan).count() == 108
    assert AdminUnit.objects.filter(level=Level.COMMUNE, province=thai_nguyen).count() == 92
    assert bac_kan.successor == thai_nguyen
    assert unit(LEGACY, Level.PROVINCE, "19").successor == thai_nguyen


def test_names_keys_links_and_coordinates():
    commune = legacy_commune("Xã Bằng Thành", "Huyện Pác Nặm")
    assert (commune.short_name, commune.type_name) == ("Bằng Thành", "Xã")
    assert commune.search_key == "xa bang thanh"
    assert commune.match_key == "bangthanh"
    assert commune.full_name() == "Xã Bằng Thành, Huyện Pác Nặm, Tỉnh Bắc Kạn"
    assert commune.parent.parent == commune.province
    assert commune.latitude and commune.longitude
    # The source spells "Thành Phố Bắc Kạn"; the type word is stored canonically.
    city = AdminUnit.objects.get(generation=LEGACY, level=Level.DISTRICT, code="058")
    assert (city.name, city.short_name, city.type_name, city.match_key) == (
        "Thành phố Bắc Kạn",
        "Bắc Kạn",
        "Thành phố",
        "backan",
    )
    # Qualified short names of the source ("Duyên Hải (Huyện)") are not kept.
    assert not AdminUnit.objects.filter(name__contains="(").exists()
    ward = AdminUnit.objects.filter(generation=LEGACY, level=Level.COMMUNE, name="Phường 1").first()
    assert (ward.short_name, ward.match_key) == ("Phường 1", "1")


def test_every_legacy_commune_has_a_default_successor_in_the_new_generation():
    legacy = AdminUnit.objects.filter(generation=LEGACY, level=Level.COMMUNE)
    assert not legacy.filter(successor__isnull=True).exists()
    assert not legacy.exclude(successor__generation=NEW).exists()
    # The default successor is one of its successions, marked default, and there is exactly one default.
    assert not legacy.exclude(successions__new_unit=F("successor"), successions__is_default=True).exists()
    defaults = (
        UnitSuccession.objects.filter(is_default=True)
        .values("old_unit")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not defaults.exists()
    assert UnitSuccession.objects.values("old_unit").distinct().count() == 10035


def test_new_communes_are_their_own_successors():
    new = AdminUnit.objects.filter(generation=NEW, level=Level.COMMUNE)
    assert not new.exclude(successor=F("id")).exists()
    assert not new.exclude(parent=F("province")).exists()


@pytest.mark.parametrize(
    ("old_name", "district", "new_name"),
    [
        ("Xã Bằng Thành", "Huyện Pác Nặm", "Xã Bằng Thành"),
        ("Xã Nhạn Môn", "Huyện Pác Nặm", "Xã Bằng Thành"),
        ("Xã Cổ Linh", "Huyện Pác Nặm", "Xã Cao Minh"),
        ("Thị trấn Chợ Rã", "Huyện Ba Bể", "Xã Chợ Rã"),
        ("Xã Sỹ Bình", "Huyện Bạch Thông", "Xã Vĩnh Thông"),
        ("Phường Sông Cầu", "Thành phố Bắc Kạn", "Phường Bắc Kạn"),
        ("Phường Huyền Tụng", "Thành phố Bắc Kạn", "Phường Đức Xuân"),
    ],
)
def test_bac_kan_communes_pass_to_thai_nguyen(old_name, district, new_name):
    old = legacy_commune(old_name, district)
    assert old.successor.name == new_name
    assert old.successor.province.name == "Tỉnh Thái Nguyên"
    assert list(old.successions.values_list("new_unit__name", "is_default")) == [(new_name, True)]


def test_split_commune_keeps_every_successor_and_the_default():
    # Xã Tân Thạnh (Huyện Thới Lai, Cần Thơ) was divided; the package names Xã Trường Thành as default.
    old = legacy_commune("Xã Tân Thạnh", "Huyện Thới Lai", "Thành phố Cần Thơ")
    successions = dict(old.successions.values_list("new_unit__name", "is_default"))
    assert successions == {"Xã Tân Thạnh": False, "Xã Trường Thành": True}
    assert old.successor.name == "Xã Trường Thành"


def test_keys_the_package_spells_with_diacritics_are_mapped():
    # Two new communes of Hải Phòng fold alike (Cẩm Giang / Cẩm Giàng); the mapping keeps them apart.
    hai_phong = AdminUnit.objects.get(generation=NEW, level=Level.PROVINCE, name="Thành phố Hải Phòng")
    giang = AdminUnit.objects.get(province=hai_phong, name="Xã Cẩm Giang")
    giang_grave = AdminUnit.objects.get(province=hai_phong, name="Xã Cẩm Giàng")
    assert giang.predecessors.exclude(pk=giang.pk).exists()
    assert giang_grave.predecessors.exclude(pk=giang_grave.pk).exists()
    assert UnitSuccession.objects.filter(new_unit=giang_grave, old_unit__name="Xã Phúc Điền").exists()


def test_second_run_changes_nothing():
    # How long it takes: scripts/bench_limits.py (a wall-clock limit fails on a loaded machine).
    before = snapshot()
    counts = load_admin_units()
    assert snapshot() == before
    assert counts["created"] == counts["updated"] == 0
    for key in ("successions_created", "successions_updated", "successions_deleted"):
        assert counts[key] == 0, key
    assert counts["unmapped"] == 0
    assert counts["successions"] == len(before[1])


def test_rerun_repairs_edited_rows():
    commune = legacy_commune("Xã Bằng Thành", "Huyện Pác Nặm")
    AdminUnit.objects.filter(pk=commune.pk).update(name="Xã Bằng Thành cũ", match_key="x", successor=None)
    UnitSuccession.objects.filter(old_unit=commune).delete()
    counts = load_admin_units()
    commune.refresh_from_db()
    assert counts["updated"] == 1 and counts["successions_created"] == 1
    assert (commune.name, commune.match_key) == ("Xã Bằng Thành", "bangthanh")
    assert commune.successor.name == "Xã Bằng Thành"


def test_fresh_load_creates_every_unit_and_succession():
    # How long it takes: scripts/bench_limits.py.
    UnitSuccession.objects.all().delete()
    AdminUnit.objects.update(parent=None, province=None, successor=None)
    try:
        AdminUnit.objects.all().delete()
    except ProtectedError:
        pytest.skip("other reference data points at the units")
    counts = load_admin_units()
    assert counts["created"] == 63 + 696 + 10035 + 34 + 3321
    assert counts["successions_created"] == counts["successions"] == UnitSuccession.objects.count()


def test_command_prints_a_summary(capsys):
    call_command("load_admin_units")
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "63 tỉnh, 696 huyện, 10035 xã" in out and "34 tỉnh, 3321 xã" in out
    assert "thêm 0, sửa 0 đơn vị" in out
