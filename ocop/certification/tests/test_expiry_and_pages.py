import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from ocop.certification.models import ExpiryNotice
from ocop.certification.services.events import event_record

D = dt.date


@pytest.fixture
def history(world):
    mien, che, keo = world.products.mien, world.products.che, world.products.keo
    event_record(
        product=mien, stars=4, decision_date=D(2023, 12, 20), decision_number="01/QĐ"
    )  # to 19/12/2026
    event_record(product=che, stars=3, decision_date=D(2022, 1, 10), decision_number="02/QĐ")  # lapsed 2025
    event_record(product=keo, stars=3, decision_date=D(2023, 12, 1), decision_number="HT-1")  # to 30/11/2026
    world.entities.nam_mau.email = "htx.nammau@example.vn"
    world.entities.nam_mau.save()
    world.users.province.email = "tinh@example.vn"
    world.users.province.save()
    world.users.outsider.email = "hatinh@example.vn"
    world.users.outsider.save()
    return world


@pytest.mark.django_db(transaction=True)
def test_daily_job_notifies_entity_and_office_once(history, reference_data):
    call_command("send_expiry_reminders", today="2026-11-23")
    notices = list(ExpiryNotice.objects.select_related("certificate__product"))
    assert {n.certificate.product.name for n in notices} == {"Miến dong Nam Mẫu", "Kẹo cu đơ"}
    by_product = {m.subject.split(": ", 1)[1]: m for m in mail.outbox}
    assert set(by_product["Miến dong Nam Mẫu"].to) == {"htx.nammau@example.vn", "tinh@example.vn"}
    assert by_product["Kẹo cu đơ"].to == ["hatinh@example.vn"]
    assert "19/12/2026" in by_product["Miến dong Nam Mẫu"].body
    call_command("send_expiry_reminders", today="2026-11-24")
    assert ExpiryNotice.objects.count() == 2 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_certificate_lists_by_status_and_scope(client, history):
    client.force_login(history.users.province)
    url = reverse("certification:certificate_list")
    expiring = client.get(url, {"trang_thai": "expiring", "ngay": "2026-11-23"}).content.decode()
    assert "Miến dong Nam Mẫu" in expiring and "Chè Shan tuyết" not in expiring
    assert "Kẹo cu đơ" not in expiring  # other province
    lapsed = client.get(url, {"trang_thai": "lapsed", "ngay": "2026-11-23"}).content.decode()
    assert "Chè Shan tuyết Đồng Thắng" in lapsed and "Miến dong" not in lapsed
    in_force = client.get(url, {"trang_thai": "in_force", "ngay": "2024-01-01"}).content.decode()
    assert "Chè Shan tuyết Đồng Thắng" in in_force
    bad = client.get(url, {"ngay": "31/02/2026"}).content.decode()
    assert "Ngày không hợp lệ" in bad


@pytest.mark.django_db
def test_renewed_product_is_not_lapsed(client, history):
    event_record(product=history.products.che, stars=3, decision_date=D(2025, 3, 1), decision_number="R")
    client.force_login(history.users.admin)
    page = client.get(
        reverse("certification:certificate_list"), {"trang_thai": "lapsed", "ngay": "2026-11-23"}
    )
    assert "Chè Shan tuyết" not in page.content.decode()


@pytest.mark.django_db
def test_product_page_shows_history(client, history):
    client.force_login(history.users.producer)
    page = client.get(reverse("products:product_detail", args=[history.products.mien.pk])).content.decode()
    assert "Lịch sử công nhận" in page and "20/12/2023" in page and "19/12/2026" in page
