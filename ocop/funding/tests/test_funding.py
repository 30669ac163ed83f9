"""Support policies and grants: rate and cap refused with a clear message, validity, scope, totals by year,
policy and commune (hand-counted), pages and export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from ocop.core.errors import ScopeError
from ocop.funding import services
from ocop.funding.models import Grant
from ocop.funding.selectors import grant_totals

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def policy(world):
    """NQ 08/2021 of Thái Nguyên: packaging 50 % up to 30,000,000; trade fairs 100 % up to 10,000,000."""
    policy = services.policy_save(
        user=world.users.province,
        province=world.places.thai_nguyen,
        data={
            "number": "08/2021/NQ-HĐND",
            "title": "Chính sách hỗ trợ OCOP",
            "issued_on": D(2021, 7, 1),
            "valid_from": D(2021, 7, 15),
            "valid_until": D(2025, 12, 31),
        },
    )
    packaging = services.policy_item_add(
        user=world.users.province,
        policy=policy,
        content="Thiết kế bao bì",
        rate_percent=Decimal("50"),
        cap_vnd=30_000_000,
    )
    fairs = services.policy_item_add(
        user=world.users.province,
        policy=policy,
        content="Tham gia hội chợ",
        rate_percent=Decimal("100"),
        cap_vnd=10_000_000,
    )
    return world, packaging, fairs


def _grant(user, item, entity, amount, cost, paid_on, **extra):
    return services.grant_create(
        user=user,
        data={
            "item": item,
            "entity": entity,
            "amount_vnd": amount,
            "cost_vnd": cost,
            "paid_on": paid_on,
            "purpose": extra.pop("purpose", "Hỗ trợ"),
            **extra,
        },
    )


@pytest.mark.parametrize(
    ("amount", "cost", "paid_on", "field", "message"),
    [
        (25_000_002, 50_000_002, D(2024, 5, 1), "amount_vnd", "tối đa 50 % chi phí 50.000.002 đồng"),
        (30_000_001, 80_000_000, D(2024, 5, 1), "amount_vnd", "Vượt mức tối đa mỗi lần hỗ trợ"),
        (1_000_000, 2_000_000, D(2021, 7, 1), "paid_on", "ngoài thời gian hiệu lực"),
        (1_000_000, 2_000_000, D(2026, 1, 5), "paid_on", "ngoài thời gian hiệu lực"),
    ],
)
def test_a_grant_over_the_rate_or_cap_or_outside_the_policy_is_refused(
    policy, amount, cost, paid_on, field, message
):
    world, packaging, _fairs = policy
    with pytest.raises(ValidationError) as error:
        _grant(world.users.province, packaging, world.entities.nam_mau, amount, cost, paid_on)
    assert message in " ".join(error.value.message_dict[field])
    assert not Grant.objects.exists()


def test_grants_outside_scope_or_province_are_refused(policy):
    world, packaging, _fairs = policy
    with pytest.raises(ScopeError):
        _grant(world.users.outsider, packaging, world.entities.ha_tinh, 1_000_000, 2_000_000, D(2024, 5, 1))
    with pytest.raises(ValidationError, match="không thuộc Tỉnh Thái Nguyên"):
        _grant(world.users.admin, packaging, world.entities.ha_tinh, 1_000_000, 2_000_000, D(2024, 5, 1))
    assert not Grant.objects.exists()


def test_totals_by_year_policy_and_commune_hand_counted(policy):
    """2024: Nam Mẫu 25,000,000 (bao bì) + 8,000,000 (hội chợ); Đồng Thắng 10,000,000 (hội chợ).
    2023: Nam Mẫu 5,000,000. Total 2024 = 43,000,000 in 3 grants to 2 entities."""
    world, packaging, fairs = policy
    user = world.users.province
    _grant(user, packaging, world.entities.nam_mau, 25_000_000, 50_000_000, D(2024, 3, 1))
    _grant(user, fairs, world.entities.nam_mau, 8_000_000, 8_000_000, D(2024, 9, 1))
    _grant(user, fairs, world.entities.dong_thang, 10_000_000, 12_000_000, D(2024, 10, 1))
    _grant(user, fairs, world.entities.nam_mau, 5_000_000, 6_000_000, D(2023, 5, 1))
    totals = grant_totals(world.places.thai_nguyen, 2024)
    assert (totals["amount_vnd"], totals["grants"], totals["entities"]) == (43_000_000, 3, 2)
    assert totals["by_policy"] == [
        {
            "number": "08/2021/NQ-HĐND",
            "title": "Chính sách hỗ trợ OCOP",
            "amount_vnd": 43_000_000,
            "grants": 3,
        }
    ]
    assert totals["by_commune"] == [
        {"commune": world.places.nam_mau_successor.name, "amount_vnd": 33_000_000},
        {"commune": world.places.dong_thang.successor.name, "amount_vnd": 10_000_000},
    ]
    legacy = grant_totals(world.places.bac_kan, 2024)
    assert legacy["by_commune"][0] == {"commune": "Xã Nam Mẫu", "amount_vnd": 33_000_000}
    assert grant_totals(world.places.thai_nguyen, 2024, day=D(2024, 6, 30))["amount_vnd"] == 25_000_000


def test_pages_export_and_outsider(client, policy):
    world, packaging, _fairs = policy
    client.force_login(world.users.province)
    response = client.post(
        reverse("funding:grant_create"),
        {
            "item": packaging.pk,
            "entity": world.entities.nam_mau.pk,
            "cost_vnd": "10000000",
            "amount_vnd": "6000000",
            "paid_on": "2024-04-01",
            "purpose": "Bao bì miến",
        },
    )
    assert response.status_code == 200 and "Vượt mức hỗ trợ" in response.content.decode()
    assert not Grant.objects.exists()
    response = client.post(
        reverse("funding:grant_create"),
        {
            "item": packaging.pk,
            "entity": world.entities.nam_mau.pk,
            "cost_vnd": "10000000",
            "amount_vnd": "5000000",
            "paid_on": "2024-04-01",
            "purpose": "Bao bì miến",
        },
    )
    grant = Grant.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("funding:grant_list"), {"nam": 2024}).content.decode()
    assert "5.000.000" in page and "Bao bì miến" in page
    export = client.get(reverse("funding:grant_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert rows[0][8] == 5_000_000
    assert "08/2021/NQ-HĐND" in client.get(reverse("funding:policy_list")).content.decode()
    client.force_login(world.users.outsider)
    assert client.get(reverse("funding:grant_detail", args=[grant.pk])).status_code == 404
    assert client.get(reverse("funding:grant_edit", args=[grant.pk])).status_code == 404
    assert client.post(reverse("funding:grant_delete", args=[grant.pk])).status_code == 404
    assert client.get(reverse("funding:policy_detail", args=[packaging.policy.pk])).status_code == 404
    client.force_login(world.users.producer)
    assert client.get(reverse("funding:grant_detail", args=[grant.pk])).status_code == 200  # their own grant
    assert client.get(reverse("funding:grant_create")).status_code == 404


def test_api_lists_grants_in_scope(client, policy):
    world, packaging, _fairs = policy
    _grant(world.users.province, packaging, world.entities.nam_mau, 5_000_000, 10_000_000, D(2024, 3, 1))
    client.force_login(world.users.commune)
    data = client.get("/api/v1/funding/grants", {"year": 2024}).json()
    assert data["count"] == 1 and data["items"][0]["amount_vnd"] == 5_000_000
    assert data["items"][0]["policy"] == "08/2021/NQ-HĐND"
    client.force_login(world.users.outsider)
    assert client.get("/api/v1/funding/grants").json()["count"] == 0
