"""Producer and officer pages: batches, events, issuance, downloads, status changes, alerts, scoping."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from ocop.core.jobs import run_one
from ocop.testing import PASSWORD
from ocop.traceability import services
from ocop.traceability.epcis import CONTEXT
from ocop.traceability.models import Batch, Stamp, StampAlert, TraceEvent

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_producer_creates_a_batch_records_events_and_issues_stamps(client, world):
    login(client, world.users.producer)
    assert "Truy xuất" in client.get(reverse("workspace:home")).content.decode()
    response = client.post(
        reverse("traceability:batch_create"),
        {
            "product": world.products.mien.pk,
            "lot": "NM-0526",
            "production_date": "2026-05-01",
            "expiry_date": "2027-05-01",
            "quantity": "1000",
            "raw_material_origin": "Củ dong riềng thôn Nà Ma",
            "area_certificates": "VietGAP số 123",
        },
    )
    batch = Batch.objects.get(lot="NM-0526")
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    client.post(
        reverse("traceability:event_add", args=[batch.pk]),
        {
            "biz_step": "commissioning",
            "event_time": "2026-05-01T08:00",
            "quantity": "1000",
            "biz_location": "Xưởng HTX",
        },
    )
    client.post(
        reverse("traceability:event_add", args=[batch.pk]),
        {"biz_step": "shipping", "event_time": "2026-05-03T09:30", "biz_location": "Kho Bắc Kạn"},
    )
    assert list(batch.events.values_list("biz_step", "event_type", "action")) == [
        ("commissioning", "ObjectEvent", "ADD"),
        ("shipping", "ObjectEvent", "OBSERVE"),
    ]
    issue_url = reverse("traceability:stamps_issue", args=[batch.pk])
    # Asked once, saying what will happen (serials, activation); nothing issued before the confirmation.
    asked = client.post(issue_url, {"count": "12", "active": "on"}).content.decode()
    assert "Phát hành 12 tem cho lô" in asked and "số thứ tự từ 1 đến 12" in asked
    assert "kích hoạt ngay" in asked
    assert "Xác nhận phát hành 12 tem" in asked and not batch.stamps.exists()
    response = client.post(issue_url, {"count": "12", "active": "on", "confirmed": "1"})
    # Issuing is a background job: the request returns at once, to the job's page.
    job_page = response["Location"]
    assert response.status_code == 302 and job_page.startswith("/quan-ly/viec-nen/")
    assert not batch.stamps.exists()
    run_one()
    assert batch.stamps.filter(status="active").count() == 12
    page = client.get(job_page).content.decode()
    assert "Đã phát hành 12 tem, số 1–12." in page and "Tải danh sách mã (ZIP, CSV)" in page
    assert "tu=1&amp;den=12" in page
    page = client.get(reverse("traceability:batch_detail", args=[batch.pk]) + "?tu=1&den=12").content.decode()
    assert "Tải tệp in tem (PDF)" in page and "Phát hành 12 tem — lô NM-0526" in page
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(reverse("traceability:stamps_csv", args=[batch.pk])).streaming_content
                ).decode()
            )
        )
    )
    assert rows[0] == ["serial", "code", "url"] and len(rows) == 13
    assert rows[1][2] == f"http://testserver/s/{rows[1][1]}"
    pdf = client.get(reverse("traceability:stamps_pdf", args=[batch.pk]) + "?tu=1&den=12")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_bad_batch_input_is_explained_and_nothing_is_stored(client, world):
    login(client, world.users.producer)
    page = client.post(
        reverse("traceability:batch_create"),
        {
            "product": world.products.mien.pk,
            "lot": "lô một",
            "production_date": "2026-05-02",
            "expiry_date": "2026-05-01",
        },
    ).content.decode()
    assert "Số lô chỉ gồm chữ cái không dấu" in page
    assert not Batch.objects.exists()
    services.batch_create(user=None, product=world.products.mien, lot="A1")
    page = client.post(
        reverse("traceability:batch_create"), {"product": world.products.mien.pk, "lot": "A1"}
    ).content.decode()
    assert "Sản phẩm này đã có lô mang số lô này." in page
    assert Batch.objects.count() == 1


def test_producer_cannot_pick_another_entitys_product(client, world):
    login(client, world.users.producer)
    client.post(reverse("traceability:batch_create"), {"product": world.products.keo.pk, "lot": "X1"})
    assert not Batch.objects.exists()


def test_status_per_stamp_per_range_and_per_batch(client, world, batch, issue):
    issue(6)
    login(client, world.users.producer)
    url = reverse("traceability:stamps_status", args=[batch.pk])
    stamp = batch.stamps.get(serial=1)
    # Voiding or revoking asks once, saying how many stamps change; nothing changes before the confirmation.
    asked = client.post(url, {"scope": "range", "first": "2", "last": "4", "status": "revoked"})
    assert (
        "Thu hồi 3 tem (tem số 2–4)" in asked.content.decode()
        and "Xác nhận thu hồi 3 tem" in asked.content.decode()
    )
    assert set(batch.stamps.values_list("status", flat=True)) == {"active"}
    client.post(url, {"scope": "stamp", "stamp": stamp.pk, "status": "void", "confirmed": "1"})
    client.post(url, {"scope": "range", "first": "2", "last": "3", "status": "revoked", "confirmed": "1"})
    assert dict(batch.stamps.values_list("serial", "status")) == {
        1: "void",
        2: "revoked",
        3: "revoked",
        4: "active",
        5: "active",
        6: "active",
    }
    response = client.post(
        url, {"scope": "stamp", "stamp": batch.stamps.get(serial=2).pk, "status": "active"}
    )
    assert "Không thể kích hoạt tem đang ở trạng thái" in client.get(response["Location"]).content.decode()
    client.post(url, {"scope": "batch", "status": "revoked", "confirmed": "1"})
    assert set(batch.stamps.values_list("status", flat=True)) == {"revoked"}


@pytest.mark.parametrize("who", ["outsider", "council"])
def test_outsiders_get_404(client, world, batch, issue, who):
    issue(1)
    login(client, getattr(world.users, who))
    for name in ("batch_detail", "batch_edit", "stamps_csv", "stamps_pdf", "batch_epcis"):
        assert client.get(reverse(f"traceability:{name}", args=[batch.pk])).status_code == 404
    assert (
        client.post(
            reverse("traceability:stamps_status", args=[batch.pk]), {"scope": "batch", "status": "revoked"}
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/batches/{batch.pk}").status_code == 404
    assert set(Stamp.objects.values_list("status", flat=True)) == {"active"}


def test_another_producer_gets_404(client, world, batch):
    from ocop.accounts.roles import Role
    from ocop.testing import make_user

    other = make_user(Role.PRODUCER, entity=world.entities.dong_thang, username="htx-dongthang")
    login(client, other)
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert "L2026-01" not in client.get(reverse("traceability:batch_list")).content.decode()


def test_officers_in_scope_see_batches_and_alerts(client, world, batch, issue):
    code = issue(1, active=False)[0]
    client.get(f"/api/v1/stamps/{code}")  # scan before activation → alert
    assert StampAlert.objects.count() == 1
    login(client, world.users.province)  # Thái Nguyên covers Bắc Kạn's communes
    assert client.get(batch.get_absolute_url()).status_code == 200
    page = client.get(reverse("traceability:alert_list")).content.decode()
    assert "Quét khi tem chưa được kích hoạt" in page and "Miến dong Nam Mẫu" in page
    assert "Đã báo qua thư" not in page
    StampAlert.objects.update(emailed_at=timezone.now())  # as `ocop send_stamp_alerts` marks it
    assert "Đã báo qua thư" in client.get(reverse("traceability:alert_list")).content.decode()
    client.logout()
    login(client, world.users.outsider)
    assert (
        "Quét khi tem chưa được kích hoạt"
        not in client.get(reverse("traceability:alert_list")).content.decode()
    )
    alert = StampAlert.objects.get()
    assert client.post(reverse("traceability:alert_resolve", args=[alert.pk])).status_code == 404
    client.logout()
    login(client, world.users.producer)
    client.post(reverse("traceability:alert_resolve", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolved_by == world.users.producer


def test_epcis_export_shape(client, world, batch):
    services.event_record(
        user=None, batch=batch, biz_step="commissioning", data={"quantity": 500, "biz_location": "Xưởng HTX"}
    )
    services.event_record(user=None, batch=batch, biz_step="packing", data={"quantity": 50})
    login(client, world.users.producer)
    doc = client.get(reverse("traceability:batch_epcis", args=[batch.pk])).json()
    assert doc["@context"][0] == CONTEXT
    assert doc["type"] == "EPCISDocument" and doc["schemaVersion"] == "2.0"
    first, second = doc["epcisBody"]["eventList"]
    assert first["type"] == "ObjectEvent" and first["action"] == "ADD" and first["bizStep"] == "commissioning"
    assert first["quantityList"][0]["quantity"] == 500
    assert first["ilmd"]["cbvmda:lotNumber"] == "L2026-01"
    assert first["ilmd"]["ocop:rawMaterialOrigin"] == "Củ dong riềng Nam Mẫu"
    assert {"eventTime", "eventTimeZoneOffset", "eventID", "disposition", "bizLocation"} <= set(first)
    assert first["eventTimeZoneOffset"] == "+07:00"
    assert second["type"] == "AggregationEvent" and "childQuantityList" in second and "parentID" in second
    assert client.get(f"/api/v1/batches/{batch.pk}/epcis").json()["type"] == "EPCISDocument"
    assert TraceEvent.objects.count() == 2
    listed = client.get("/api/v1/batches/").json()
    assert listed[0]["lot"] == "L2026-01" and listed[0]["stamps"] == {"total": 0, "active": 0}
