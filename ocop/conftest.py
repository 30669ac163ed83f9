"""Fixtures shared by every app's tests: a small world of places, entities, products and one user per role.

Places (loaded once per session from vietnamadminunits by the root conftest):
  Bắc Kạn (legacy province 06) → Huyện Ba Bể (061) → Xã Nam Mẫu (01909), Thị trấn Chợ Rã (01888)
                               → Huyện Chợ Đồn (064) → Xã Đồng Thắng (02059)
  Thái Nguyên (2025 province 19) succeeds Bắc Kạn; Hà Tĩnh (2025 province 42) is the outsider.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ocop import testing
from ocop.accounts.roles import Role
from ocop.geography.models import AdminUnit, Generation, Level


@pytest.fixture
def places(db):
    legacy = Generation.LEGACY
    reform = Generation.REFORM_2025
    nam_mau = testing.unit("01909")
    return SimpleNamespace(
        bac_kan=testing.unit("06", level=Level.PROVINCE, generation=legacy),
        ba_be=testing.unit("061", level=Level.DISTRICT, generation=legacy),
        cho_don=testing.unit("064", level=Level.DISTRICT, generation=legacy),
        nam_mau=nam_mau,
        cho_ra=testing.unit("01888"),
        dong_thang=testing.unit("02059"),
        nam_mau_successor=nam_mau.successor,
        thai_nguyen=testing.unit("19", level=Level.PROVINCE, generation=reform),
        ha_tinh=testing.unit("42", level=Level.PROVINCE, generation=reform),
        ha_tinh_commune=AdminUnit.objects.filter(level=Level.COMMUNE, province__code="42", generation=reform)
        .order_by("code")
        .first(),
    )


@pytest.fixture
def world(places):
    """Entities/products in three places and one user per role (the ministry's officer included), plus an
    outsider officer."""
    nam_mau_htx = testing.make_entity(
        commune=places.nam_mau,
        name="HTX Miến dong Nam Mẫu",
        tax_code="4700000001",
        phone="0912345678",
        representative_id_number="006123456789",
    )
    dong_thang_htx = testing.make_entity(commune=places.dong_thang, name="HTX Đồng Thắng")
    ha_tinh_co = testing.make_entity(
        commune=places.ha_tinh_commune, name="Công ty Kẹo cu đơ Hà Tĩnh", entity_type="doanh_nghiep"
    )
    products = SimpleNamespace(
        mien=testing.make_product(entity=nam_mau_htx, name="Miến dong Nam Mẫu"),
        che=testing.make_product(entity=dong_thang_htx, name="Chè Shan tuyết Đồng Thắng", set_number=11),
        keo=testing.make_product(entity=ha_tinh_co, name="Kẹo cu đơ", set_number=8),
    )
    users = SimpleNamespace(
        admin=testing.make_admin(),
        province=testing.make_user(
            Role.PROVINCE_OFFICER, unit=places.thai_nguyen, username="tinh-thainguyen"
        ),
        province_legacy=testing.make_user(Role.PROVINCE_OFFICER, unit=places.bac_kan, username="tinh-backan"),
        district=testing.make_user(Role.DISTRICT_OFFICER, unit=places.ba_be, username="huyen-babe"),
        commune=testing.make_user(Role.COMMUNE_OFFICER, unit=places.nam_mau_successor, username="xa-nammau"),
        council=testing.make_user(Role.COUNCIL_MEMBER, username="hoidong"),
        producer=testing.make_user(Role.PRODUCER, entity=nam_mau_htx, username="htx-nammau"),
        outsider=testing.make_user(Role.PROVINCE_OFFICER, unit=places.ha_tinh, username="tinh-hatinh"),
        ministry=testing.make_user(Role.MINISTRY_OFFICER, username="bo-nnmt"),
    )
    return SimpleNamespace(
        places=places,
        users=users,
        products=products,
        entities=SimpleNamespace(nam_mau=nam_mau_htx, dong_thang=dong_thang_htx, ha_tinh=ha_tinh_co),
    )


@pytest.fixture
def page_cache():
    """The public page cache switched on (it is off with the tests' per-process cache), emptied around."""
    from django.core.cache import cache
    from django.test import override_settings

    cache.clear()
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=300):
        yield
    cache.clear()
