from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.producers import services
from ocop.producers.models import Entity


@pytest.mark.django_db
def test_officer_creates_entity_in_scope_and_it_is_audited(client, world):
    client.force_login(world.users.province)
    response = client.post(
        reverse("producers:entity_create"),
        {
            "name": "  HTX  Rau sạch   Nam Mẫu ",
            "entity_type": "htx",
            "commune": world.places.nam_mau_successor.pk,
            "tax_code": "",
            "is_active": "on",
        },
    )
    entity = Entity.objects.get(name="HTX Rau sạch Nam Mẫu")
    assert response.status_code == 302
    log = AuditLog.objects.get(model_label="producers.entity", object_pk=str(entity.pk))
    assert log.action == "create" and log.username == "tinh-thainguyen"
    assert log.changes["name"] == [None, "HTX Rau sạch Nam Mẫu"]


@pytest.mark.django_db
def test_create_outside_scope_is_refused_and_nothing_stored(world):
    before = Entity.objects.count()
    with pytest.raises(ScopeError):
        services.entity_create(
            user=world.users.district,
            data={
                "name": "HTX ngoài huyện",
                "entity_type": "htx",
                "commune": world.places.dong_thang,
            },
        )
    assert Entity.objects.count() == before


@pytest.mark.django_db
def test_commune_outside_scope_is_not_offered(client, world):
    client.force_login(world.users.district)
    page = client.get(reverse("producers:entity_create")).content.decode()
    assert "Xã Nam Mẫu" in page
    assert "Đồng Thắng" not in page
    client.force_login(world.users.province)
    page = client.get(reverse("producers:entity_create")).content.decode()
    assert world.places.nam_mau_successor.name in page
    assert "cũ, trước 01/07/2025" not in page  # new records go under current communes
    assert "Hà Tĩnh" not in page


@pytest.mark.django_db
def test_bad_input_gets_vietnamese_errors(client, world):
    client.force_login(world.users.province)
    response = client.post(
        reverse("producers:entity_create"),
        {
            "name": "",
            "entity_type": "xyz",
            "commune": world.places.nam_mau_successor.pk,
            "phone": "abc",
            "tax_code": "4700000001",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Có lỗi cần sửa" in page and "<title>Lỗi: " in page  # the error summary on top
    assert "Số điện thoại chỉ gồm chữ số" in page
    assert "đã thuộc về một chủ thể khác" in page


@pytest.mark.django_db
def test_update_records_field_changes_and_masks_personal_data(world):
    services.entity_update(
        user=world.users.province,
        entity=world.entities.nam_mau,
        data={"address": "Thôn Pác Ngòi", "phone": "0987654321"},
    )
    log = AuditLog.objects.filter(action="update").latest("id")
    assert log.changes["address"] == ["", "Thôn Pác Ngòi"]
    assert log.changes["phone"] == ["•••", "•••"]


@pytest.mark.django_db
def test_producer_edits_own_entity_but_cannot_move_it(client, world):
    client.force_login(world.users.producer)
    entity = world.entities.nam_mau
    response = client.post(
        reverse("producers:entity_edit", args=[entity.pk]),
        {
            "name": entity.name,
            "entity_type": "htx",
            "commune": world.places.ha_tinh_commune.pk,
            "address": "Bản Pác Ngòi",
            "tax_code": entity.tax_code,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.address == "Bản Pác Ngòi"
    assert entity.commune_id == world.places.nam_mau.pk


@pytest.mark.django_db
def test_search_ignores_case_and_diacritics(client, world):
    client.force_login(world.users.admin)
    for query in ["mien dong", "MIẾN DONG", "miến  dong nam mau", "4700000001"]:
        page = client.get(reverse("producers:entity_list"), {"q": query}).content.decode()
        assert "HTX Miến dong Nam Mẫu" in page, query
        assert "HTX Đồng Thắng" not in page
    page = client.get(reverse("producers:entity_list"), {"q": "dong thang"}).content.decode()
    assert "HTX Đồng Thắng" in page


@pytest.mark.django_db
def test_council_member_sees_masked_phone(world):
    from ocop.core.masking import mask_phone

    assert mask_phone("0912345678") == "•••••••678"
    assert not world.users.council.sees_personal_data


@pytest.mark.django_db
def test_xlsx_export_neutralises_formulas(client, world):
    import io

    from python_calamine import CalamineWorkbook

    services.entity_update(
        user=world.users.admin, entity=world.entities.nam_mau, data={"address": "=cmd|'/C calc'!A0"}
    )
    client.force_login(world.users.admin)
    response = client.get(reverse("producers:entity_list"), {"export": "xlsx"})
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Tên chủ thể"
    addresses = [row[6] for row in rows[1:]]
    assert "'=cmd|'/C calc'!A0" in addresses
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


@pytest.mark.django_db
def test_viewing_or_exporting_unmasked_personal_data_is_audited(client, world):
    from ocop.core.models import AuditLog

    entity = world.entities.nam_mau
    client.force_login(world.users.province)
    page = client.get(reverse("producers:entity_detail", args=[entity.pk])).content.decode()
    assert "0912345678" in page
    viewed = AuditLog.objects.get(action=AuditLog.Action.VIEW_PERSONAL, object_pk=str(entity.pk))
    assert viewed.user == world.users.province
    assert viewed.changes == {"fields": ["phone", "representative_id_number"]}
    client.get(reverse("producers:entity_list"), {"export": "xlsx"})
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, user=world.users.province).count() == 1

    # A role that only sees masked values leaves no trace of a personal-data view.
    client.force_login(world.users.council)
    AuditLog.objects.all().delete()
    client.get(reverse("producers:entity_detail", args=[entity.pk]))
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_PERSONAL).exists()


def test_entity_with_support_records_is_not_deleted_and_says_why(world):
    import datetime as dt

    from ocop import testing
    from ocop.producers.services import entity_delete
    from ocop.support import services as support_services
    from ocop.support.kinds import KINDS

    entity = testing.make_entity(commune=world.places.nam_mau, name="Tổ hợp tác Chưa có sản phẩm")
    support_services.record_create(
        user=world.users.province,
        kind=KINDS["tu-van"],
        data={"entity": entity, "held_on": dt.date(2024, 1, 1), "topic": "Thiết kế bao bì"},
    )
    deletions = AuditLog.objects.filter(action="delete").count()
    with pytest.raises(ScopeError, match="hồ sơ hỗ trợ"):
        entity_delete(user=world.users.province, entity=entity)
    assert Entity.objects.filter(pk=entity.pk).exists()
    assert AuditLog.objects.filter(action="delete").count() == deletions  # the audit entry rolled back too


@pytest.mark.django_db
def test_the_same_entity_written_another_way_is_refused(world):
    """The import's rule of the same entity: a name like that of an entity of the same place (its successor
    commune included), neither with a tax code to tell them apart, is that entity."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Đã có chủ thể “HTX Đồng Thắng”"):
        services.entity_create(
            user=world.users.admin,
            data={"name": "htx  đồng thắng", "entity_type": "htx", "commune": world.places.dong_thang},
        )
    # Elsewhere, or told apart by a tax code, it is another entity.
    other = services.entity_create(
        user=world.users.admin,
        data={"name": "HTX Đồng Thắng", "entity_type": "htx", "commune": world.places.nam_mau},
    )
    assert other.pk and Entity.objects.filter(name_key="htx dong thang").count() == 2
