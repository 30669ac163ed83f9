"""units_covering_commune is commune_ids_covered_by read backwards: checked unit by unit."""

from __future__ import annotations

import pytest

from ocop.geography.models import AdminUnit, Generation, Level
from ocop.geography.selectors import commune_ids_covered_by, units_covering_commune

pytestmark = pytest.mark.django_db


def test_units_covering_a_commune_are_exactly_the_units_that_cover_it(places):
    legacy_communes = [places.nam_mau, places.cho_ra, places.dong_thang]
    communes = [*legacy_communes, *(c.successor for c in legacy_communes), places.ha_tinh_commune]
    # Every province of both generations, Bắc Kạn's districts, the communes above and the other legacy
    # communes merged into the same 2025 communes.
    units = list(AdminUnit.objects.filter(level=Level.PROVINCE))
    units += list(AdminUnit.objects.filter(level=Level.DISTRICT, province=places.bac_kan))
    units += communes
    units += list(
        AdminUnit.objects.filter(level=Level.COMMUNE, successor__in=[c.successor for c in legacy_communes])
    )
    covered = {unit.pk: set(commune_ids_covered_by(unit).values_list("id", flat=True)) for unit in units}
    for commune in communes:
        covering = units_covering_commune(commune.pk)
        for unit in units:
            assert (unit.pk in covering) == (commune.pk in covered[unit.pk]), (commune, unit)
    # The 2025 province covers its legacy communes and the legacy province the 2025 successor.
    assert places.thai_nguyen.pk in units_covering_commune(places.nam_mau.pk)
    assert places.bac_kan.pk in units_covering_commune(places.nam_mau.successor_id)
    assert places.ba_be.pk in units_covering_commune(places.nam_mau.pk)
    assert units_covering_commune(places.bac_kan.pk) == set()  # not a commune


def test_contact_emails_reach_covering_officers_only(world):
    from ocop import testing
    from ocop.accounts.selectors import contact_emails

    world.users.province.email = "tinh@thainguyen.gov.vn"
    world.users.province.save()
    world.users.outsider.email = "tinh@hatinh.gov.vn"
    world.users.outsider.save()
    world.users.producer.email = "htx@example.vn"
    world.users.producer.save()
    retired = testing.make_user(world.users.district.role, unit=world.places.ba_be, username="huyen-nghi")
    retired.email, retired.is_active = "nghi@babe.gov.vn", False
    retired.save()
    entity = world.entities.nam_mau
    entity.email = "lienhe@htx.vn"
    entity.save()
    emails = contact_emails(entity=entity, commune_id=entity.commune_id)
    assert emails == ["htx@example.vn", "lienhe@htx.vn", "tinh@thainguyen.gov.vn"]
    assert entity.commune.generation == Generation.LEGACY  # a Bắc Kạn commune reaches Thái Nguyên's office
