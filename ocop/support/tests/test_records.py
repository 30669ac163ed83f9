"""Support records: validation, scoping, audit, pages, XLSX import (all or nothing) and export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ocop.core.errors import ScopeError
from ocop.core.jobs import run_one
from ocop.core.models import AuditLog
from ocop.support import services
from ocop.support.kinds import KINDS
from ocop.support.models import (
    EcommerceListing,
    EntityYear,
    FairParticipation,
    PointOfSale,
    RawMaterialArea,
    TrainingCourse,
)
from ocop.support.sheets import import_records

pytestmark = pytest.mark.django_db
D = dt.date


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _area(world, **overrides):
    data = {
        "product": world.products.mien,
        "standard": "vietgap",
        "area_ha": Decimal("12.5"),
        "valid_from": D(2024, 1, 1),
        "valid_until": D(2026, 12, 31),
    }
    data.update(overrides)
    return services.record_create(user=world.users.province, kind=KINDS["vung-nguyen-lieu"], data=data)


def test_create_is_validated_scoped_and_audited(world):
    area = _area(world)
    log = AuditLog.objects.get(model_label="support.rawmaterialarea")
    assert log.commune_id == world.places.nam_mau.pk and log.changes["standard"] == [None, "vietgap"]
    with pytest.raises(ValidationError) as error:
        _area(world, valid_until=D(2023, 1, 1))
    assert "Ngày hết hiệu lực phải sau" in str(error.value)
    with pytest.raises(ScopeError):  # Hà Tĩnh's officer may not touch a Bắc Kạn product
        services.record_create(
            user=world.users.outsider,
            kind=KINDS["vung-nguyen-lieu"],
            data={
                **{"standard": "organic", "area_ha": 1, "valid_from": D(2024, 1, 1)},
                "valid_until": D(2025, 1, 1),
                "product": world.products.mien,
            },
        )
    assert RawMaterialArea.objects.count() == 1
    assert RawMaterialArea.objects.for_user(world.users.outsider).count() == 0
    assert list(RawMaterialArea.objects.for_user(world.users.producer)) == [area]
    assert RawMaterialArea.objects.for_user(world.users.council).count() == 0


def test_every_kind_validates_its_own_rules(world):
    province = world.users.province
    commune = world.places.nam_mau_successor
    cases = [
        (
            "tap-huan",
            {"title": "Lớp A", "commune": commune, "start_date": D(2024, 5, 1)},
            "ít nhất một học viên",
        ),
        ("tu-van", {"entity": world.entities.nam_mau, "held_on": D(2024, 1, 1), "topic": ""}, "topic"),
        (
            "so-huu-tri-tue",
            {"kind": "trademark", "name": "Miến Nam Mẫu", "commune": commune, "granted_on": D(2020, 1, 1)},
            "chủ thể sở hữu",
        ),
        (
            "diem-ban",
            {
                "name": "Điểm A",
                "commune": commune,
                "address": "Chợ",
                "opened_on": D(2024, 1, 1),
                "latitude": 22.1,
            },
            "cả vĩ độ và kinh độ",
        ),
        (
            "hoi-cho",
            {
                "name": "Hội chợ",
                "commune": commune,
                "venue": "Bắc Kạn",
                "start_date": D(2024, 5, 2),
                "end_date": D(2024, 5, 1),
            },
            "Ngày kết thúc",
        ),
        (
            "thuong-mai-dien-tu",
            {
                "product": world.products.mien,
                "platform": "shopee",
                "url": "ftp://x.vn",
                "listed_on": D(2024, 1, 1),
            },
            "url",
        ),
        (
            "xuat-khau",
            {"product": world.products.mien, "shipped_on": D(2024, 1, 1), "country": ""},
            "country",
        ),
        (
            "doanh-thu",
            {
                "entity": world.entities.nam_mau,
                "year": 2024,
                "revenue_million": 100,
                "workers": 3,
                "local_workers": 5,
            },
            "Lao động địa phương",
        ),
    ]
    for slug, data, message in cases:
        with pytest.raises(ValidationError) as error:
            services.record_create(user=province, kind=KINDS[slug], data=data)
        assert message in str(error.value), slug
    assert AuditLog.objects.filter(model_label__startswith="support.").count() == 0


def test_update_and_delete_through_scope(world):
    area = _area(world)
    kind = KINDS["vung-nguyen-lieu"]
    services.record_update(user=world.users.district, kind=kind, pk=area.pk, data={"area_ha": Decimal("20")})
    area.refresh_from_db()
    assert area.area_ha == Decimal("20")
    with pytest.raises(ScopeError):
        services.record_update(user=world.users.outsider, kind=kind, pk=area.pk, data={"area_ha": 1})
    with pytest.raises(ScopeError):  # producers read, officers write
        services.record_delete(user=world.users.producer, kind=kind, pk=area.pk)
    services.record_delete(user=world.users.province, kind=kind, pk=area.pk)
    assert not RawMaterialArea.objects.exists()
    assert AuditLog.objects.filter(model_label="support.rawmaterialarea").count() == 3


def test_pages_list_detail_edit_and_outsider_404(client, world):
    area = _area(world)
    client.force_login(world.users.province)
    for slug in KINDS:
        assert client.get(reverse("support:record_list", args=[slug])).status_code == 200
        assert client.get(reverse("support:record_create", args=[slug])).status_code == 200
    response = client.get(reverse("support:record_list", args=["vung-nguyen-lieu"]), {"q": "mien"})
    assert "Miến dong Nam Mẫu" in response.content.decode()
    assert client.get(area.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("support:record_edit", args=["vung-nguyen-lieu", area.pk]),
        {
            "product": world.products.mien.pk,
            "standard": "organic",
            "area_ha": "3",
            "valid_from": "2024-01-01",
            "valid_until": "2023-01-01",
        },
    )
    assert response.status_code == 200 and "Ngày hết hiệu lực phải sau" in response.content.decode()
    area.refresh_from_db()
    assert area.standard == "vietgap"  # nothing half-stored
    client.force_login(world.users.outsider)
    assert client.get(area.get_absolute_url()).status_code == 404
    assert client.get(reverse("support:record_edit", args=["vung-nguyen-lieu", area.pk])).status_code == 404
    assert (
        "Miến dong"
        not in client.get(reverse("support:record_list", args=["vung-nguyen-lieu"])).content.decode()
    )
    client.force_login(world.users.producer)
    assert client.get(area.get_absolute_url()).status_code == 200
    assert client.get(reverse("support:record_create", args=["vung-nguyen-lieu"])).status_code == 404


def test_form_creates_point_of_sale_with_products(client, world):
    client.force_login(world.users.province)
    response = client.post(
        reverse("support:record_create", args=["diem-ban"]),
        {
            "name": "Điểm bán OCOP Ba Bể",
            "kind": "point",
            "commune": world.places.nam_mau_successor.pk,
            "address": "Bờ hồ Ba Bể",
            "latitude": "22.41",
            "longitude": "105.62",
            "products": [world.products.mien.pk],
            "opened_on": "2024-03-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    outlet = PointOfSale.objects.get()
    assert list(outlet.products.all()) == [world.products.mien]
    # A product outside the officer's scope is not offered, so it cannot be chosen.
    response = client.post(
        reverse("support:record_create", args=["diem-ban"]),
        {
            "name": "X",
            "kind": "point",
            "commune": world.places.nam_mau_successor.pk,
            "address": "Y",
            "products": [world.products.keo.pk],
            "opened_on": "2024-03-01",
        },
    )
    assert response.status_code == 200 and PointOfSale.objects.count() == 1


def test_fair_participants(client, world):
    fair = services.record_create(
        user=world.users.province,
        kind=KINDS["hoi-cho"],
        data={
            "name": "Hội chợ OCOP Bắc Kạn 2024",
            "commune": world.places.nam_mau_successor,
            "venue": "TP Bắc Kạn",
            "start_date": D(2024, 10, 1),
            "end_date": D(2024, 10, 5),
        },
    )
    client.force_login(world.users.province)
    url = reverse("support:participation_add", args=[fair.pk])
    assert client.post(url, {"entity": world.entities.nam_mau.pk, "sales_vnd": "15000000"}).status_code == 302
    client.post(url, {"entity": world.entities.nam_mau.pk, "sales_vnd": "1"})  # duplicate refused
    assert FairParticipation.objects.get().sales_vnd == 15_000_000
    page = client.get(fair.get_absolute_url()).content.decode()
    assert "HTX Miến dong Nam Mẫu" in page and "15000000" in page
    client.force_login(world.users.outsider)
    assert client.post(url, {"entity": world.entities.ha_tinh.pk, "sales_vnd": "1"}).status_code == 404


def test_import_all_or_nothing_with_row_errors(world):
    kind = KINDS["doanh-thu"]
    header = ["Chủ thể", "Năm", "Doanh thu (triệu đồng)", "Lao động", "Lao động địa phương"]
    bad = _xlsx(
        [
            ["Danh sách doanh thu"],
            header,
            ["HTX Miến dong Nam Mẫu", 2022, 1000, 10, 8],
            ["HTX Không Có", 2023, 1200, 10, 8],
            ["HTX Đồng Thắng", "năm ngoái", 500, 4, 4],
            ["HTX Đồng Thắng", 2023, 500, 4, 6],
        ]
    )
    outcome = import_records(user=world.users.province, kind=kind, data=bad, file_name="dt.xlsx")
    assert not outcome.ok and EntityYear.objects.count() == 0
    found = {(e["row"], e["column"]) for e in outcome.errors}
    assert found == {(4, "Chủ thể"), (5, "Năm"), (6, "Lao động địa phương")}
    assert "không có trong phạm vi" in outcome.errors[0]["message"]
    good = _xlsx([header, ["HTX Miến dong Nam Mẫu", 2022, 1000, 10, 8], ["4700000001", 2024, 1150.5, 12, 9]])
    outcome = import_records(user=world.users.province, kind=kind, data=good, file_name="dt.xlsx")
    assert outcome.ok and outcome.stored == 2
    assert EntityYear.objects.get(year=2024).revenue_million == Decimal("1150.5")
    assert AuditLog.objects.filter(model_label="support.entityyear").count() == 2
    # The outsider cannot name a Bắc Kạn entity.
    outcome = import_records(user=world.users.outsider, kind=kind, data=good, file_name="dt.xlsx")
    assert not outcome.ok and EntityYear.objects.count() == 2


def test_import_listings_courses_and_refusals(client, world):
    client.force_login(world.users.province)
    data = _xlsx(
        [
            [
                "Sản phẩm",
                "Sàn",
                "Đường dẫn",
                "Chương trình quốc gia",
                "Ngày lên sàn",
                "Kiểm tra còn hoạt động",
            ],
            ["Miến dong Nam Mẫu", "Postmart", "https://postmart.vn/mien", "Có", "01/02/2024", "15/06/2024"],
            ["Chè Shan tuyết Đồng Thắng", "Shopee", "https://shopee.vn/che", "", "2024-03-01", ""],
        ]
    )
    upload = io.BytesIO(data)
    upload.name = "tmdt.xlsx"
    response = client.post(reverse("support:record_import", args=["thuong-mai-dien-tu"]), {"file": upload})
    # A background job: the request returns at once to the job's page; the worker imports.
    assert response.status_code == 302 and response["Location"].startswith("/quan-ly/viec-nen/")
    assert not EcommerceListing.objects.exists()
    run_one()
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhập 2 gian hàng" in page
    listing = EcommerceListing.objects.get(platform="postmart")
    assert listing.national_programme and listing.checked_alive_on == D(2024, 6, 15)
    courses = _xlsx(
        [
            ["Tên lớp", "Xã/phường", "Ngày bắt đầu", "Cán bộ", "Thành viên HTX", "Khởi nghiệp/chủ thể"],
            ["Tập huấn OCOP 2024", world.places.nam_mau_successor.name, "10/04/2024", 30, 20, 0],
        ]
    )
    outcome = import_records(user=world.users.province, kind=KINDS["tap-huan"], data=courses)
    assert outcome.ok, outcome.errors
    assert TrainingCourse.objects.get().trainees == 50
    assert not import_records(user=world.users.province, kind=KINDS["tap-huan"], data=b"").ok
    outcome = import_records(
        user=world.users.province, kind=KINDS["tap-huan"], data=_xlsx([["a", "b"], [1, 2]])
    )
    assert "dòng tiêu đề" in outcome.errors[0]["message"]


def test_export_is_formula_safe(client, world):
    services.record_create(
        user=world.users.province,
        kind=KINDS["xuat-khau"],
        data={"product": world.products.mien, "shipped_on": D(2024, 5, 1), "country": "=HYPERLINK(1)"},
    )
    client.force_login(world.users.province)
    response = client.get(reverse("support:record_list", args=["xuat-khau"]), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Sản phẩm" and rows[1][2] == "'=HYPERLINK(1)"


def test_api_lists_are_scoped(client, world):
    _area(world)
    client.force_login(world.users.province)
    body = client.get("/api/v1/support/records/vung-nguyen-lieu").json()
    assert body["count"] == 1 and body["items"][0]["product_id"] == world.products.mien.pk
    assert client.get("/api/v1/support/records/khong-co").status_code == 404
    client.force_login(world.users.outsider)
    assert client.get("/api/v1/support/records/vung-nguyen-lieu").json()["count"] == 0


def test_fair_participants_import_all_or_nothing(client, world):
    fair = services.record_create(
        user=world.users.province,
        kind=KINDS["hoi-cho"],
        data={
            "name": "Hội chợ 2025",
            "commune": world.places.nam_mau_successor,
            "venue": "Thái Nguyên",
            "start_date": D(2025, 10, 1),
            "end_date": D(2025, 10, 3),
        },
    )
    url = reverse("support:participation_import", args=[fair.pk])
    client.force_login(world.users.province)

    def upload(rows):
        handle = io.BytesIO(_xlsx(rows))
        handle.name = "tham-gia.xlsx"
        return client.post(url, {"file": handle}, follow=True).content.decode()

    header = ["Chủ thể", "Doanh thu (đồng)"]
    page = upload(
        [header, ["HTX Miến dong Nam Mẫu", 1_000_000], ["4700000001", 5], ["Công ty Kẹo cu đơ Hà Tĩnh", 1]]
    )
    assert "Dòng 3, cột Chủ thể" in page and "Dòng 4, cột Chủ thể" in page and "Không lưu dòng nào" in page
    assert not FairParticipation.objects.exists()
    page = upload([header, ["HTX Miến dong Nam Mẫu", 1_000_000], ["HTX Đồng Thắng", ""]])
    assert "Đã nhập 2 chủ thể tham gia." in page
    assert sorted(FairParticipation.objects.values_list("sales_vnd", flat=True)) == [0, 1_000_000]
    assert AuditLog.objects.filter(model_label="support.fairparticipation").count() == 2
    client.force_login(world.users.outsider)
    assert client.post(url, {"file": io.BytesIO(b"x")}).status_code == 404


def test_import_points_of_sale_with_products(world):
    header = ["Tên điểm bán", "Loại", "Xã/phường", "Địa chỉ", "Sản phẩm", "Ngày hoạt động"]
    commune = world.places.nam_mau_successor.name
    rows = [
        header,
        [
            "Điểm A",
            "Showroom / trung tâm OCOP",
            commune,
            "Chợ",
            "Miến dong Nam Mẫu; Chè Shan tuyết Đồng Thắng",
            "01/03/2024",
        ],
    ]
    outcome = import_records(user=world.users.province, kind=KINDS["diem-ban"], data=_xlsx(rows))
    assert outcome.ok, outcome.errors
    outlet = PointOfSale.objects.get()
    assert outlet.kind == "showroom" and outlet.products.count() == 2
    rows[1][0], rows[1][4] = "Điểm B", "Kẹo cu đơ"  # a product outside the officer's scope
    outcome = import_records(user=world.users.province, kind=KINDS["diem-ban"], data=_xlsx(rows))
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(2, "Sản phẩm")]
    assert PointOfSale.objects.count() == 1


def test_import_job_refuses_a_bad_file_with_every_row_error_and_stores_nothing(client, world):
    from ocop.core.models import Job

    client.force_login(world.users.province)
    bad = _xlsx(
        [
            ["Tên lớp", "Xã/phường", "Ngày bắt đầu", "Cán bộ", "Thành viên HTX", "Khởi nghiệp/chủ thể"],
            ["Lớp 1", "Xã Không Có", "10/04/2024", 30, 20, 0],
            ["Lớp 2", world.places.nam_mau_successor.name, "31/02/2024", 30, 20, 0],
        ]
    )
    upload = io.BytesIO(bad)
    upload.name = "lop.xlsx"
    response = client.post(reverse("support:record_import", args=["tap-huan"]), {"file": upload})
    run_one()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.error == "Không lưu dòng nào: tệp có 2 lỗi."
    page = client.get(response["Location"]).content.decode()
    assert "Xã Không Có" in page and "Dòng" in page
    assert not TrainingCourse.objects.exists()
    client.force_login(world.users.outsider)
    assert client.get(response["Location"]).status_code == 404
