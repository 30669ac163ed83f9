"""One set of names: pickers never list two options that read the same, and staff pages name a registered
commune as today, the old name in brackets."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from ocop.geography.forms import UnitChoiceField
from ocop.geography.labels import commune_now, commune_place, province_now, unit_label
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.geography.selectors import commune_choices_for, province_list

pytestmark = pytest.mark.django_db
AFTER, BEFORE = dt.date(2026, 12, 7), dt.date(2025, 6, 30)


def _repeats(labels) -> list[str]:
    return [label for label, n in Counter(labels).items() if n > 1]


def test_province_picker_tells_old_thai_nguyen_from_new(places):
    labels = [unit_label(p) for p in province_list()]
    assert not _repeats(labels)
    assert "Tỉnh Thái Nguyên" in labels and "Tỉnh Thái Nguyên (cũ, trước 01/07/2025)" in labels


def test_commune_picker_options_are_all_different(places):
    field = UnitChoiceField(queryset=commune_choices_for(None))
    labels = [label for _value, label in field.choices][1:]
    assert len(labels) > 3000 and not _repeats(labels)


def test_old_commune_is_labelled_with_district_province_and_generation(places):
    legacy = AdminUnit.objects.select_related("parent", "province").get(pk=places.nam_mau.pk)
    assert unit_label(legacy) == "Xã Nam Mẫu (Ba Bể, Bắc Kạn; cũ, trước 01/07/2025)"
    district = AdminUnit.objects.get(pk=places.ba_be.pk)
    assert unit_label(district).endswith("(Bắc Kạn; cũ, trước 01/07/2025)")


def test_registered_old_commune_is_named_as_today_with_the_old_name_in_brackets(places):
    commune = places.nam_mau
    assert commune_now(commune, AFTER) == "Xã Ba Bể (Xã Nam Mẫu cũ)"
    assert province_now(commune, AFTER) == "Thái Nguyên (Bắc Kạn cũ)"
    assert (
        str(commune_place(commune, AFTER))
        == "Xã Ba Bể, Tỉnh Thái Nguyên (trước đây: Xã Nam Mẫu, Tỉnh Bắc Kạn)"
    )
    assert province_now(commune, BEFORE) == "Bắc Kạn"
    assert str(commune_place(commune, BEFORE)) == "Xã Nam Mẫu, Huyện Ba Bể, Tỉnh Bắc Kạn"


def test_new_commune_has_nothing_in_brackets(places):
    commune = AdminUnit.objects.filter(level=Level.COMMUNE, generation=Generation.REFORM_2025).first()
    assert commune_now(commune, AFTER) == commune.name
    assert "cũ" not in province_now(commune, AFTER)


def test_statistics_of_an_old_province_say_so_in_the_heading(client, world):
    client.force_login(world.users.province_legacy)
    html = client.get("/thong-ke/").content.decode()
    assert "Thống kê OCOP — Tỉnh Bắc Kạn (cũ, trước 01/07/2025)" in html
