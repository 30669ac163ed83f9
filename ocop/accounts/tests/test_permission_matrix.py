"""Each role sees and changes exactly its scope, in pages, exports and the API (SPEC §1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.producers.models import Entity
from ocop.products.models import Product

# role fixture name → entities (by world.entities attribute) it may see and change
EXPECTED = {
    "admin": {"nam_mau", "dong_thang", "ha_tinh"},
    "province": {"nam_mau", "dong_thang"},
    "province_legacy": {"nam_mau", "dong_thang"},
    "district": {"nam_mau"},
    "commune": {"nam_mau"},
    "council": set(),
    "producer": {"nam_mau"},
    "outsider": {"ha_tinh"},
}
ALL = ("nam_mau", "dong_thang", "ha_tinh")
PRODUCT_OF = {"nam_mau": "mien", "dong_thang": "che", "ha_tinh": "keo"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", EXPECTED)
def test_querysets_follow_scope(world, role):
    user = getattr(world.users, role)
    expected_ids = {getattr(world.entities, key).pk for key in EXPECTED[role]}
    assert set(Entity.objects.for_user(user).values_list("pk", flat=True)) == expected_ids
    assert set(Entity.objects.for_user(user, "change").values_list("pk", flat=True)) == (
        expected_ids if role != "council" else set()
    )
    product_ids = {getattr(world.products, PRODUCT_OF[key]).pk for key in EXPECTED[role]}
    assert set(Product.objects.for_user(user).values_list("pk", flat=True)) == product_ids


@pytest.mark.django_db
@pytest.mark.parametrize("role", EXPECTED)
def test_pages_show_only_scope(client, world, role):
    user = getattr(world.users, role)
    client.force_login(user)
    listing = client.get(reverse("producers:entity_list")).content.decode()
    product_listing = client.get(reverse("products:product_list")).content.decode()
    for key in ALL:
        entity = getattr(world.entities, key)
        product = getattr(world.products, PRODUCT_OF[key])
        visible = key in EXPECTED[role]
        assert (entity.name in listing) is visible, (role, key)
        assert (product.name in product_listing) is visible, (role, key)
        expected_status = 200 if visible else 404
        assert client.get(reverse("producers:entity_detail", args=[entity.pk])).status_code == expected_status
        assert (
            client.get(reverse("products:product_detail", args=[product.pk])).status_code == expected_status
        )
        can_change = visible and role != "council"
        assert client.get(reverse("producers:entity_edit", args=[entity.pk])).status_code == (
            200 if can_change else 404
        )
        assert client.get(reverse("products:product_edit", args=[product.pk])).status_code == (
            200 if can_change else 404
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", EXPECTED)
def test_exports_and_api_follow_scope(client, world, role):
    user = getattr(world.users, role)
    client.force_login(user)
    csv_text = b"".join(
        client.get(reverse("producers:entity_list"), {"export": "csv"}).streaming_content
    ).decode()
    api = client.get("/api/v1/entities").json()
    names = {item["name"] for item in api["items"]}
    for key in ALL:
        entity = getattr(world.entities, key)
        visible = key in EXPECTED[role]
        assert (entity.name in csv_text) is visible
        assert (entity.name in names) is visible
        status = client.get(f"/api/v1/entities/{entity.pk}").status_code
        assert status == (200 if visible else 404)


@pytest.mark.django_db
def test_outsider_cannot_change_by_posting(client, world):
    client.force_login(world.users.outsider)
    entity = world.entities.nam_mau
    response = client.post(reverse("producers:entity_edit", args=[entity.pk]), {"name": "Bị sửa trái phép"})
    assert response.status_code == 404
    entity.refresh_from_db()
    assert entity.name == "HTX Miến dong Nam Mẫu"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("producers:entity_list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert client.get("/api/v1/entities").status_code == 401


@pytest.mark.django_db
def test_council_member_sees_no_personal_data_and_no_menu_entries(client, world):
    client.force_login(world.users.council)
    page = client.get(reverse("workspace:home")).content.decode()
    assert "Chủ thể" not in page.split("<main")[0]


@pytest.mark.django_db
def test_audit_log_is_scoped(client, world):
    from ocop.producers import services

    services.entity_update(
        user=world.users.admin, entity=world.entities.nam_mau, data={"address": "Thôn Pác Ngòi"}
    )
    services.entity_update(
        user=world.users.admin, entity=world.entities.ha_tinh, data={"address": "Thạch Hà"}
    )
    client.force_login(world.users.province)
    page = client.get(reverse("core:audit_list")).content.decode()
    assert "HTX Miến dong Nam Mẫu" in page
    assert "Kẹo cu đơ" not in page and "Công ty Kẹo" not in page
    client.force_login(world.users.producer)
    assert client.get(reverse("core:audit_list")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", EXPECTED)
def test_workspace_home_counts_only_scope(client, world, role):
    import datetime as dt

    from django.core.management import call_command

    from ocop.certification.services import event_record

    event_record(
        product=world.products.mien, stars=4, decision_date=dt.date.today() - dt.timedelta(days=1080)
    )
    call_command("send_expiry_reminders")
    client.force_login(getattr(world.users, role))
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    visible = "nam_mau" in EXPECTED[role]
    assert ("1 thông báo chưa xem" in response.content.decode()) is visible
