"""Units are resolved in the generation of the row's date (SPEC §5.3, issue 17): before 01/07/2025 among the
63 old provinces and their districts only, from that date among the 34 new ones."""

from __future__ import annotations

import datetime as dt

import pytest

from ocop.geography.models import AdminUnit, Generation, Level
from ocop.imports.services.importing import import_check
from ocop.imports.tests.helpers import HEADER, row

pytestmark = pytest.mark.django_db
LEGACY, NEW = Generation.LEGACY, Generation.REFORM_2025
BEFORE = dt.date(2024, 5, 10)
AFTER = dt.date(2025, 9, 1)


def _csv(rows: list[list[object]]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _surviving_provinces() -> list[tuple[AdminUnit, list[AdminUnit]]]:
    """(old province whose name the new province kept, the other old provinces merged into it)."""
    provinces = list(AdminUnit.objects.filter(level=Level.PROVINCE))
    result = []
    for new in (p for p in provinces if p.generation == NEW):
        merged = [p for p in provinces if p.generation == LEGACY and p.successor_id == new.pk]
        survivor = next((p for p in merged if p.match_key == new.match_key), None)
        others = [p for p in merged if p is not survivor]
        if survivor is not None and others:
            result.append((survivor, others))
    return result


def _shared(level: str, survivor: AdminUnit, others: list[AdminUnit]) -> list[AdminUnit]:
    """Units of ``level`` in the survivor whose name a unit of a merged province also bears."""
    elsewhere = set(
        AdminUnit.objects.filter(level=level, province__in=others).values_list("match_key", flat=True)
    )
    units = AdminUnit.objects.filter(level=level, province=survivor, match_key__in=elsewhere)
    return list(units.select_related("parent", "province").order_by("code"))


def test_every_surviving_province_resolves_its_own_old_units_before_the_merger():
    """For every province whose name survived the merger and that absorbed others: its old districts and
    communes named like those of the absorbed provinces (An Giang/Kiên Giang's Châu Thành, Tây Ninh/Long An,
    Đồng Tháp/Tiền Giang, and every commune name two merged provinces share) resolve in the old province."""
    cases: list[tuple[list[object], AdminUnit]] = []
    survivors = _surviving_provinces()
    assert len(survivors) >= 20
    shared_districts = 0
    for survivor, others in survivors:
        districts = _shared(Level.DISTRICT, survivor, others)
        shared_districts += len(districts)
        for district in districts:
            commune = AdminUnit.objects.filter(level=Level.COMMUNE, parent=district).order_by("code").first()
            cases.append(
                (row("Sản phẩm", "HTX", commune.name, district.name, survivor.name, 3, BEFORE), commune)
            )
        for commune in _shared(Level.COMMUNE, survivor, others):
            parent = commune.parent
            cases.append(
                (row("Sản phẩm", "HTX", commune.name, parent.name, survivor.name, 3, BEFORE), commune)
            )
            alike = AdminUnit.objects.filter(
                level=Level.COMMUNE, province=survivor, match_key=commune.match_key
            )
            if alike.count() == 1:  # unique in its old province: found without the district too
                cases.append((row("Sản phẩm", "HTX", commune.name, "", survivor.name, 3, BEFORE), commune))
    assert shared_districts >= 3 and len(cases) > 300
    rows = [[*cells[:1], f"Sản phẩm {i}", f"HTX {i}", *cells[3:]] for i, (cells, _unit) in enumerate(cases)]
    outcome = import_check(data=_csv(rows), file_name="doi-cu.csv", today=dt.date(2026, 1, 1))
    assert outcome.errors == []
    resolved = [event.commune for event in outcome.plan.parsed.rows]
    assert [unit.pk for unit in resolved] == [unit.pk for _cells, unit in cases]


def test_the_three_reported_provinces():
    rows = [
        row("Mắm cá", "HTX An", "Xã Vĩnh An", "Huyện Châu Thành", "Tỉnh An Giang", 3, BEFORE),
        row("Bánh tráng", "HTX Tây", "Xã Thái Bình", "Huyện Châu Thành", "Tỉnh Tây Ninh", 3, BEFORE),
        row("Xoài", "HTX Sen", "Xã An Hiệp", "Huyện Châu Thành", "Tỉnh Đồng Tháp", 3, BEFORE),
    ]
    outcome = import_check(data=_csv(rows), file_name="ba-tinh.csv", today=dt.date(2026, 1, 1))
    assert outcome.errors == []
    for event, province in zip(outcome.plan.parsed.rows, ["89", "72", "87"], strict=True):
        assert (event.commune.generation, event.commune.province.code) == (LEGACY, province)


def test_a_row_naming_units_of_the_other_generation_is_told_which_one_its_date_requires():
    rows = [
        # After the merger, an old province and an old commune.
        row("Chè", "HTX A", "Xã Nam Mẫu", "", "Tỉnh Bắc Kạn", 3, AFTER),
        row("Chè", "HTX B", "Xã Nam Mẫu", "", "Tỉnh Thái Nguyên", 3, AFTER),
        # Before it, a new commune of a surviving province.
        row("Chè", "HTX C", "Xã Ba Bể", "", "Tỉnh Thái Nguyên", 3, BEFORE),
    ]
    outcome = import_check(data=_csv(rows), file_name="sai-the-he.csv", today=dt.date(2026, 1, 1))
    errors = {(e.row, e.column): e.message for e in outcome.errors}
    assert set(errors) == {(2, "Tỉnh"), (3, "Xã"), (4, "Xã")}
    assert "từ 01/07/2025 phải ghi đơn vị hành chính sau sắp xếp" in errors[(2, "Tỉnh")]
    assert "Tỉnh Bắc Kạn là đơn vị trước 01/07/2025" in errors[(2, "Tỉnh")]
    assert "Xã Nam Mẫu (Huyện Ba Bể, Tỉnh Bắc Kạn) là đơn vị trước 01/07/2025" in errors[(3, "Xã")]
    assert "trước 01/07/2025 phải ghi đơn vị hành chính trước sắp xếp" in errors[(4, "Xã")]
    assert "Xã Ba Bể (Tỉnh Thái Nguyên) là đơn vị từ 01/07/2025" in errors[(4, "Xã")]


def test_an_ambiguous_unit_lists_the_candidates_with_their_parents():
    rows = [row("Mắm", "HTX A", "An Phú", "", "Tỉnh An Giang", 3, BEFORE)]
    outcome = import_check(data=_csv(rows), file_name="mo-ho.csv", today=dt.date(2026, 1, 1))
    [error] = outcome.errors
    assert error.column == "Xã" and "Có nhiều đơn vị tên “An Phú”" in error.message
    assert error.message.count("Tỉnh An Giang)") == 2 and "Kiên Giang" not in error.message
