"""Each role sees and changes exactly its scope, in pages, exports and the API (SPEC §1)."""

from __future__ import annotations

import datetime as dt

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
    # Only the dossiers proposed to the ministry (evaluation tests): no entity or product of its own.
    "ministry": set(),
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

    from ocop.certification.services.events import event_record

    event_record(
        product=world.products.mien, stars=4, decision_date=dt.date.today() - dt.timedelta(days=1080)
    )
    call_command("send_expiry_reminders")
    client.force_login(getattr(world.users, role))
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    visible = "nam_mau" in EXPECTED[role]
    assert ("1 thông báo chưa xem" in response.content.decode()) is visible


# -- authority follows the level: the permission matrix read from the periods table (ocop.legal.periods) --
ROLE_FIXTURES = ("admin", "province", "district", "commune", "ministry", "council", "producer")


def _outcome(call) -> str:
    """ "ok", "refused" (the table's ValidationError) or "denied" (out of scope), leaving nothing behind."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    with transaction.atomic():
        try:
            call()
        except ValidationError:
            return "refused"
        except PermissionDenied:
            return "denied"
        finally:
            transaction.set_rollback(True)
    return "ok"


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2021, 2024, 2025, 2026])
def test_who_sets_up_a_council_of_which_level_follows_the_periods_table(world, year):
    from ocop.evaluation.choices import CouncilLevel
    from ocop.evaluation.services.councils import council_create
    from ocop.legal.authority import role_of
    from ocop.legal.periods import COUNCIL, periods_in_year

    seen = set()
    for key in ROLE_FIXTURES:
        user = getattr(world.users, key)
        for level in CouncilLevel.values:
            expected = any(p.allows(COUNCIL, level, role_of(user)) for p in periods_in_year(year))
            outcome = _outcome(
                lambda user=user, level=level: council_create(
                    user=user, level=level, year=year, round_number=1, name=f"Hội đồng {level} {year}"
                )
            )
            assert outcome == ("ok" if expected else "refused"), (year, key, level, outcome)
            seen.add(outcome)
    assert seen == {"ok", "refused"}


@pytest.mark.django_db
@pytest.mark.parametrize("day", [dt.date(2025, 6, 30), dt.date(2025, 7, 1)])
def test_who_holds_a_session_of_which_level_follows_the_date_of_the_session(world, day):
    from ocop.evaluation.choices import CouncilLevel
    from ocop.evaluation.models import Council
    from ocop.evaluation.services.councils import session_create
    from ocop.legal.authority import role_of
    from ocop.legal.periods import COUNCIL, period_on

    councils = {
        level: Council.objects.create(level=level, year=2025, name=f"HĐ {level}", unit=unit)
        for level, unit in (
            (CouncilLevel.DISTRICT, world.places.ba_be),
            (CouncilLevel.PROVINCE, world.places.thai_nguyen),
            (CouncilLevel.MINISTRY, None),
        )
    }
    for key in ("admin", "province", "district", "ministry"):
        user = getattr(world.users, key)
        for level, council in councils.items():
            expected = period_on(day).allows(COUNCIL, level, role_of(user))
            outcome = _outcome(
                lambda user=user, council=council: session_create(user=user, council=council, date=day)
            )
            # Out of the user's councils is "denied" (404); in them, the table decides.
            if outcome != "denied":
                assert outcome == ("ok" if expected else "refused"), (day, key, level, outcome)
            else:
                assert key != "admin"


@pytest.mark.django_db
@pytest.mark.parametrize("day", [dt.date(2021, 6, 1), dt.date(2024, 6, 1), dt.date(2026, 6, 1)])
def test_who_records_a_decision_of_how_many_stars_follows_the_periods_table(world, day):
    from ocop.certification.services.events import recognition_record
    from ocop.legal.authority import role_of
    from ocop.legal.periods import RECORD, period_on
    from ocop.products.models import Product

    period = period_on(day)
    product = world.products.mien
    seen = set()
    for key in ROLE_FIXTURES:
        user = getattr(world.users, key)
        in_scope = Product.objects.for_user(user, "change").filter(pk=product.pk).exists()
        for stars in (3, 4, 5):
            allowed = period.allows(RECORD, period.decider(stars), role_of(user))
            outcome = _outcome(
                lambda user=user, stars=stars: recognition_record(
                    user=user, product=product, stars=stars, number=f"{stars}/QĐ", date=day
                )
            )
            expected = "denied" if not in_scope else ("ok" if allowed else "refused")
            assert outcome == expected, (day, key, stars, outcome)
            seen.add(outcome)
    assert seen == {"ok", "refused", "denied"}


@pytest.mark.django_db
def test_the_user_form_offers_the_ministry_role_without_a_unit(world):
    from ocop.accounts.forms import UserForm
    from ocop.accounts.roles import Role

    form = UserForm(
        data={
            "username": "bo-vp",
            "role": Role.MINISTRY_OFFICER,
            "password": "Mat-khau-rat-dai-2026!",
            "is_active": "on",
        }
    )
    assert (Role.MINISTRY_OFFICER, "Cán bộ cấp trung ương (Bộ)") in form.fields["role"].choices
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] is None
    from ocop.accounts.twofactor import requires_two_factor

    assert requires_two_factor(world.users.ministry)  # it records 5★ decisions: a second factor
