"""Admin finds one person's data, exports it (JSON) and erases it (anonymised in place); all audited."""

from __future__ import annotations

import json

import pytest

from ocop.core.models import AuditLog
from ocop.privacy.models import PublicConsent
from ocop.privacy.selectors import may_show_publicly
from ocop.producers.models import Entity

URL = "/quan-ly/du-lieu-ca-nhan/"


@pytest.fixture
def person(world):
    entity = world.entities.nam_mau
    entity.representative = "Nguyễn Thị Mến"
    entity.save()
    return entity


@pytest.mark.django_db
def test_only_admin_reaches_the_page(client, world):
    for role in ("province", "commune", "producer", "council"):
        client.force_login(getattr(world.users, role))
        assert client.get(URL, {"q": "0912345678"}).status_code == 404
        assert client.post(URL + "xoa/", {"item": "producers.entity:1", "confirm": "1"}).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


@pytest.mark.django_db
def test_find_by_phone_or_name_export_and_erase(client, world, person):
    client.force_login(world.users.admin)
    page = client.get(URL, {"q": "0912 345 678"}).content.decode()
    assert "Nguyễn Thị Mến" in page and "006123456789" in page
    assert AuditLog.objects.filter(action="view_personal", username="quantri").exists()
    assert "HTX Miến dong" in client.get(URL, {"q": "Thị Mến"}).content.decode()

    item = f"producers.entity:{person.pk}"
    exported = client.post(URL + "xuat/", {"item": item})
    assert exported["Content-Disposition"].startswith("attachment")
    data = json.loads(exported.content)["du_lieu_ca_nhan"][0]["du_lieu"]
    assert data["phone"] == "0912345678" and data["representative_id_number"] == "006123456789"
    assert AuditLog.objects.filter(action="export", object_pk=str(person.pk)).exists()

    refused = client.post(URL + "xoa/", {"item": item})
    assert refused.status_code == 302
    person.refresh_from_db()
    assert person.phone == "0912345678"  # nothing erased without the confirmation box

    client.post(URL + "xoa/", {"item": item, "confirm": "1"})
    person.refresh_from_db()
    assert person.phone == "" and person.representative_id_number == "" and person.email == ""
    assert person.representative == "(đã xoá theo yêu cầu)"
    assert Entity.objects.filter(pk=person.pk).exists()  # the record (and statistics) stay
    assert person.products.count() == 1
    assert "0912345678" not in json.dumps(list(AuditLog.objects.values("object_repr", "changes")))
    assert "Nguyễn Thị Mến" not in client.get(URL, {"q": "Thị Mến"}).content.decode()


@pytest.mark.django_db
def test_public_display_needs_recorded_consent(world, person):
    import datetime as dt

    assert may_show_publicly(person, "phone") is False
    PublicConsent.objects.create(
        entity=person, show_phone=True, phone_consented="0912 345 678", given_on=dt.date(2026, 1, 5)
    )
    person.refresh_from_db()
    assert may_show_publicly(person, "phone") is True
    assert may_show_publicly(person, "representative") is False
    person.phone = "0987654321"  # a new number: its holder never consented
    assert may_show_publicly(person, "phone") is False


@pytest.mark.django_db
def test_erasing_several_records_with_one_unknown_erases_none(client, world, person):
    client.force_login(world.users.admin)
    items = [f"producers.entity:{person.pk}", "producers.entity:999999"]
    assert client.post(URL + "xoa/", {"item": items, "confirm": "1"}).status_code == 404
    person.refresh_from_db()
    assert person.phone == "0912345678" and person.representative == "Nguyễn Thị Mến"
