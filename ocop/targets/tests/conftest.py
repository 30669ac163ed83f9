"""A recognition history of our own making where every figure is known (see test_stats.py for the sums).

Legacy Bắc Kạn communes: Nam Mẫu (Ba Bể → 2025 Xã Ba Bể), Chợ Rã (Ba Bể → 2025 Xã Chợ Rã),
Đồng Thắng (Chợ Đồn → 2025 Xã Bạch Thông); all three successors lie in 2025 Thái Nguyên.

  P1 Miến dong  Nam Mẫu     HTX E1        set 7 (I)    new 3★ 2020-03-10, upgraded 4★ 2022-05-20,
                                                        renewed 4★ 2025-05-19 (last day of 2022 certificate)
  P2 Chè        Đồng Thắng  company E2    set 14 (II)  new 4★ 2019-06-01, renewed 4★ 2022-06-15 (after expiry)
  P3 Rượu       Chợ Rã      household E3  set 18 (III) new 3★ 2021-01-10, revoked 2023-03-01
                                                        (Chợ Rã's only product)
  P4 Mật ong    Nam Mẫu     group E4      set 21 (IV)  new 2★ 2021-08-01 (never an OCOP product)
  P5 Gạo        Đồng Thắng  company E2    set 1 (I)    new 5★ 2022-07-15 (certificate ends 2025-07-14)
  P8 Măng       Đồng Thắng  HTX E8        set 26 (VI)  new 3★ 2020-01-01, revoked 2021-06-01,
                                                        new 3★ 2023-02-01
  P6 Trà        2025 Xã Chợ Rã (Thái Nguyên), HTX E6, set 23 (V), new 3★ 2025-09-01
  PH Kẹo        Hà Tĩnh (noise), new 3★ 2021-05-05
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from ocop import testing
from ocop.certification.services.events import event_record

D = dt.date


@pytest.fixture
def history(world):
    places = world.places
    cho_ra_2025 = places.cho_ra.successor
    e1 = testing.make_entity(commune=places.nam_mau, name="HTX Miến Nam Mẫu")
    e2 = testing.make_entity(
        commune=places.dong_thang, name="Công ty Chè Đồng Thắng", entity_type="doanh_nghiep"
    )
    e3 = testing.make_entity(commune=places.cho_ra, name="Hộ Rượu Chợ Rã", entity_type="ho_kinh_doanh")
    e4 = testing.make_entity(commune=places.nam_mau, name="Tổ Mật ong", entity_type="to_hop_tac")
    e8 = testing.make_entity(commune=places.dong_thang, name="HTX Măng Đồng Thắng")
    e6 = testing.make_entity(commune=cho_ra_2025, name="HTX Trà Chợ Rã")
    eh = testing.make_entity(commune=places.ha_tinh_commune, name="Công ty Kẹo", entity_type="doanh_nghiep")
    p = SimpleNamespace(
        p1=testing.make_product(entity=e1, name="Miến dong", set_number=7),
        p2=testing.make_product(entity=e2, name="Chè", set_number=14),
        p3=testing.make_product(entity=e3, name="Rượu", set_number=18),
        p4=testing.make_product(entity=e4, name="Mật ong", set_number=21),
        p5=testing.make_product(entity=e2, name="Gạo", set_number=1),
        p8=testing.make_product(entity=e8, name="Măng", set_number=26),
        p6=testing.make_product(entity=e6, name="Trà", set_number=23),
        ph=testing.make_product(entity=eh, name="Kẹo", set_number=8),
    )
    lines = [
        (p.p1, "new", 3, D(2020, 3, 10)),
        (p.p1, "upgraded", 4, D(2022, 5, 20)),
        (p.p1, "renewed", 4, D(2025, 5, 19)),
        (p.p2, "new", 4, D(2019, 6, 1)),
        (p.p2, "renewed", 4, D(2022, 6, 15)),
        (p.p3, "new", 3, D(2021, 1, 10)),
        (p.p3, "revoked", None, D(2023, 3, 1)),
        (p.p4, "new", 2, D(2021, 8, 1)),
        (p.p5, "new", 5, D(2022, 7, 15)),
        (p.p8, "new", 3, D(2020, 1, 1)),
        (p.p8, "revoked", None, D(2021, 6, 1)),
        (p.p8, "new", 3, D(2023, 2, 1)),
        (p.p6, "new", 3, D(2025, 9, 1)),
        (p.ph, "new", 3, D(2021, 5, 5)),
    ]
    for number, (product, kind, stars, day) in enumerate(lines, start=1):
        event_record(
            product=product, kind=kind, stars=stars, decision_date=day, decision_number=f"{number}/QĐ-UBND"
        )
    return SimpleNamespace(world=world, products=p, cho_ra_2025=cho_ra_2025)
