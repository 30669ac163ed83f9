"""KPIs computed from records, with answers worked out by hand; priority-group figures; the KPI API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ocop import testing
from ocop.certification.services.events import event_record
from ocop.products.models import ProductSet
from ocop.support import services
from ocop.support.kinds import KINDS
from ocop.support.models import EntityYear, PriorityGroup
from ocop.support.selectors import priority_figures, support_kpis
from ocop.targets.selectors import history_load

pytestmark = pytest.mark.django_db
D = dt.date


def _add(user, slug, **data):
    m2m = {k: data.pop(k) for k in list(data) if k in KINDS[slug].m2m}
    return services.record_create(user=user, kind=KINDS[slug], data={**data, **m2m})


@pytest.fixture
def records(world):
    officer = world.users.province
    nam_mau = world.places.nam_mau_successor
    mien, che, keo = world.products.mien, world.products.che, world.products.keo
    _add(
        officer, "tap-huan", title="Lớp 1", commune=nam_mau, start_date=D(2023, 4, 1), officers=20, founders=5
    )
    _add(officer, "tap-huan", title="Lớp 2", commune=nam_mau, start_date=D(2024, 4, 1), coop_members=30)
    _add(officer, "tap-huan", title="Lớp 2025", commune=nam_mau, start_date=D(2025, 4, 1), founders=100)
    _add(officer, "tu-van", entity=world.entities.nam_mau, held_on=D(2024, 2, 1), topic="Bao bì")
    _add(officer, "tu-van", entity=world.entities.dong_thang, held_on=D(2024, 3, 1), topic="Truy xuất")
    _add(
        officer,
        "so-huu-tri-tue",
        kind="gi",
        name="Miến dong Bắc Kạn",
        commune=nam_mau,
        granted_on=D(2020, 1, 1),
        products=[mien],
    )
    _add(
        officer,
        "so-huu-tri-tue",
        kind="collective",
        name="Chè Đồng Thắng",
        commune=nam_mau,
        granted_on=D(2021, 1, 1),
        valid_until=D(2024, 1, 1),
    )  # expired by mid-2024
    _add(
        officer,
        "so-huu-tri-tue",
        kind="collective",
        name="Miến Nam Mẫu",
        commune=nam_mau,
        granted_on=D(2024, 9, 1),
    )  # after the day
    _add(
        officer,
        "vung-nguyen-lieu",
        product=mien,
        standard="vietgap",
        area_ha=Decimal("10"),
        valid_from=D(2023, 1, 1),
        valid_until=D(2025, 12, 31),
    )
    _add(
        officer,
        "vung-nguyen-lieu",
        product=mien,
        standard="organic",
        area_ha=Decimal("2.5"),
        valid_from=D(2023, 1, 1),
        valid_until=D(2025, 12, 31),
    )
    _add(
        officer,
        "vung-nguyen-lieu",
        product=che,
        standard="gacp_who",
        area_ha=Decimal("4"),
        valid_from=D(2020, 1, 1),
        valid_until=D(2023, 12, 31),
    )  # expired
    _add(officer, "xuat-khau", product=che, shipped_on=D(2024, 5, 1), country="Nhật Bản")
    _add(officer, "xuat-khau", product=che, shipped_on=D(2024, 6, 1), country="nhật bản ")
    _add(officer, "xuat-khau", product=mien, shipped_on=D(2024, 7, 1), country="Đức")  # after the day
    _add(
        officer,
        "thuong-mai-dien-tu",
        product=mien,
        platform="postmart",
        url="https://postmart.vn/a",
        national_programme=True,
        listed_on=D(2023, 1, 1),
        checked_alive_on=D(2024, 6, 1),
    )
    _add(
        officer,
        "thuong-mai-dien-tu",
        product=mien,
        platform="shopee",
        url="https://shopee.vn/a",
        listed_on=D(2023, 1, 1),
        checked_alive_on=D(2024, 6, 20),
    )
    _add(
        officer,
        "thuong-mai-dien-tu",
        product=che,
        platform="lazada",
        url="https://lazada.vn/a",
        national_programme=True,
        listed_on=D(2023, 1, 1),
        checked_alive_on=D(2023, 6, 1),
    )  # stale
    _add(officer, "diem-ban", name="Điểm 1", commune=nam_mau, address="A", opened_on=D(2022, 1, 1))
    _add(
        officer,
        "diem-ban",
        name="Showroom",
        kind="showroom",
        commune=nam_mau,
        address="B",
        opened_on=D(2022, 1, 1),
        closed_on=D(2024, 6, 30),
    )  # closes on the day: not active
    _add(officer, "diem-ban", name="Điểm 3", commune=nam_mau, address="C", opened_on=D(2024, 7, 1))
    fair = _add(
        officer,
        "hoi-cho",
        name="Hội chợ 2024",
        commune=nam_mau,
        venue="Bắc Kạn",
        start_date=D(2024, 3, 1),
        end_date=D(2024, 3, 3),
    )
    services.participation_add(user=officer, fair=fair, entity=world.entities.nam_mau, sales_vnd=5_000_000)
    services.participation_add(user=officer, fair=fair, entity=world.entities.dong_thang, sales_vnd=7_000_000)
    # Revenue: Nam Mẫu 100 → 115 (grew ≥ 1.1×), Đồng Thắng 200 → 210 (no), a third entity one year only,
    # a fourth with 0 first-year revenue (not eligible); Hà Tĩnh never counts.
    third = testing.make_entity(commune=world.places.cho_ra, name="HTX Chợ Rã")
    fourth = testing.make_entity(commune=world.places.cho_ra, name="HTX Mới")
    for entity, year, revenue, workers, local in [
        (world.entities.nam_mau, 2021, 100, 10, 8),
        (world.entities.nam_mau, 2023, 115, 12, 9),
        (world.entities.nam_mau, 2025, 50, 5, 5),  # after the day's year
        (world.entities.dong_thang, 2022, 200, 6, 6),
        (world.entities.dong_thang, 2024, 210, 7, 7),
        (third, 2024, 90, 3, 3),
        (fourth, 2022, 0, 1, 1),
        (fourth, 2024, 40, 2, 2),
    ]:
        _add(
            officer,
            "doanh-thu",
            entity=entity,
            year=year,
            revenue_million=Decimal(revenue),
            workers=workers,
            local_workers=local,
        )
    ha_tinh = world.users.outsider
    _add(
        ha_tinh,
        "tap-huan",
        title="Lớp Hà Tĩnh",
        commune=world.places.ha_tinh_commune,
        start_date=D(2024, 1, 1),
        founders=999,
    )
    _add(
        ha_tinh,
        "thuong-mai-dien-tu",
        product=keo,
        platform="postmart",
        url="https://postmart.vn/k",
        listed_on=D(2023, 1, 1),
        checked_alive_on=D(2024, 6, 1),
    )
    return world


def test_known_answers_as_of_mid_2024(records):
    world = records
    kpis = support_kpis(world.places.bac_kan, D(2024, 6, 30))
    assert kpis["trainees"] == {"officers": 20, "coop_members": 30, "founders": 5, "total": 55}
    assert kpis["courses"] == 2
    assert kpis["consulting_rounds"] == 2
    assert kpis["geographical_indications"] == 1
    assert kpis["collective_trademarks"] == 0  # one expired, one granted later
    assert kpis["products_with_certified_area"] == 1
    assert kpis["certified_area_ha"] == 12.5
    assert kpis["certified_area_by_standard"]["vietgap"] == 1
    assert kpis["certified_area_by_standard"]["gacp_who"] == 0
    assert kpis["products_exported"] == 1 and kpis["export_markets"] == 1
    assert kpis["products_on_ecommerce"] == 1
    assert kpis["ecommerce_by_platform"]["postmart"] == 1 and kpis["ecommerce_by_platform"]["lazada"] == 0
    assert kpis["entities_national_ecommerce"] == 1
    assert kpis["points_of_sale"] == 1
    assert kpis["points_of_sale_by_kind"] == {"point": 1, "showroom": 0}
    assert kpis["fairs"] == 1 and kpis["fair_participations"] == 2 and kpis["fair_sales_vnd"] == 12_000_000
    assert kpis["revenue_growth"] == {"eligible": 2, "grown": 1, "percent": 50.0}
    assert kpis["latest_year"] == {
        "entities": 4,
        "revenue_million": 455.0,
        "workers": 24,
        "local_workers": 21,
    }


def test_same_records_seen_from_the_2025_province_and_later(records):
    world = records
    day = D(2025, 12, 31)
    new = support_kpis(world.places.thai_nguyen, day)
    assert new == {**support_kpis(world.places.bac_kan, day), "province": new["province"]}
    assert new["trainees"]["founders"] == 105
    assert new["collective_trademarks"] == 1
    assert new["products_exported"] == 2 and new["export_markets"] == 2
    assert new["products_on_ecommerce"] == 0  # no check within 180 days of the day
    assert new["points_of_sale"] == 2
    # Nam Mẫu's latest year is now 2025 (50 < 110): nobody grew.
    assert new["revenue_growth"] == {"eligible": 2, "grown": 0, "percent": 0.0}
    assert support_kpis(world.places.ha_tinh, day)["trainees"]["founders"] == 999


def test_priority_groups_use_the_dashboard_recognition_rule(records):
    world = records
    event_record(product=world.products.mien, stars=3, decision_date=D(2022, 5, 1))
    event_record(product=world.products.mien, stars=4, decision_date=D(2024, 5, 1))
    event_record(product=world.products.che, stars=3, decision_date=D(2024, 8, 1))
    sets = ProductSet.objects.filter(group__classification__is_current=True)
    services.priority_group_save(
        user=world.users.province_legacy,
        province=world.places.bac_kan,
        name="Thực phẩm chế biến",
        product_sets=sets.filter(number=7),
    )
    services.priority_group_save(
        user=world.users.admin,
        province=world.places.bac_kan,
        name="Chè",
        product_sets=sets.filter(number=11),
        position=2,
    )
    rows = priority_figures(history_load(world.places.bac_kan), D(2024, 6, 30))
    assert rows == [
        {
            "name": "Thực phẩm chế biến",
            "product_sets": [7],
            "products": 1,
            "recognised": 1,
            "by_star": {"3": 0, "4": 1, "5": 0},
        },
        {
            "name": "Chè",
            "product_sets": [11],
            "products": 1,
            "recognised": 0,
            "by_star": {"3": 0, "4": 0, "5": 0},
        },
    ]
    with pytest.raises(Exception, match="cán bộ cấp tỉnh"):
        services.priority_group_save(
            user=world.users.outsider, province=world.places.bac_kan, name="X", product_sets=sets[:1]
        )


def test_kpi_page_and_api(client, records):
    world = records
    client.force_login(world.users.province)
    page = client.get(reverse("support:kpis"), {"as_of": "2025-12-31"}).content.decode()
    assert "Tỉnh Thái Nguyên" in page and "Tổng số học viên" in page and "155" in page
    body = client.get("/api/v1/support/kpis", {"province": "Bắc Kạn", "as_of": "2024-06-30"}).json()
    assert body["trainees"]["total"] == 55 and body["revenue_growth"]["percent"] == 50.0
    assert client.get("/api/v1/support/kpis", {"as_of": "30/06/2024"}).status_code == 422
    bad_date = client.get(reverse("support:kpis"), {"unit": world.places.bac_kan.pk, "as_of": "31/02/2024"})
    assert bad_date.status_code == 200 and "Tỉnh Bắc Kạn" in bad_date.content.decode()
    client.force_login(world.users.outsider)
    assert client.get("/api/v1/support/kpis", {"province": "Bắc Kạn"}).status_code == 404
    assert client.get(reverse("support:kpis"), {"unit": world.places.bac_kan.pk}).status_code == 404
    client.force_login(world.users.producer)
    assert client.get(reverse("support:kpis")).status_code == 404
    assert EntityYear.objects.for_user(world.users.producer).count() == 3


def test_expiring_certificates_follow_the_dashboard(world):
    from ocop.support.selectors import expiring_certificates
    from ocop.targets.selectors import unit_stats

    event_record(product=world.products.mien, stars=4, decision_date=D(2024, 5, 1))
    event_record(product=world.products.che, stars=3, decision_date=D(2024, 8, 1))
    history = history_load(world.places.bac_kan)
    day = D(2027, 1, 1)
    rows = expiring_certificates(history, day)
    assert [(r["product"], r["stars"]) for r in rows] == [("Miến dong Nam Mẫu", 4)]
    assert rows[0]["ends"].year == 2027 and rows[0]["ends"].month == 4
    near = expiring_certificates(history, day, days=30)
    assert len(near) == unit_stats(world.places.bac_kan, day)["expiring_within_30_days"] == 0
    assert [r["product"] for r in expiring_certificates(history, D(2027, 4, 15), days=30)] == [
        "Miến dong Nam Mẫu"
    ]
    assert unit_stats(world.places.bac_kan, D(2027, 4, 15))["expiring_within_30_days"] == 1


def test_priority_group_page(client, world):
    sets = ProductSet.objects.filter(group__classification__is_current=True)
    url = reverse("support:priority")
    client.force_login(world.users.province)
    unit = world.places.thai_nguyen.pk
    response = client.post(f"{url}?unit={unit}", {"name": "Rau quả", "position": 1, "product_sets": []})
    assert response.status_code == 200 and not PriorityGroup.objects.exists()
    response = client.post(
        f"{url}?unit={unit}", {"name": "Rau quả", "position": 1, "product_sets": [sets.get(number=1).pk]}
    )
    assert response.status_code == 302
    group = PriorityGroup.objects.get()
    assert group.province == world.places.thai_nguyen
    page = client.get(reverse("support:kpis")).content.decode()
    assert "Rau quả" in page
    client.force_login(world.users.district)
    assert client.get(f"{url}?unit={unit}").status_code == 404
    client.force_login(world.users.province)
    assert client.post(f"{url}?unit={unit}", {"delete": group.pk}).status_code == 302
    assert not PriorityGroup.objects.exists()
