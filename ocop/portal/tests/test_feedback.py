from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import override_settings
from PIL import Image

from ocop.core.models import AuditLog
from ocop.portal.models import Feedback
from ocop.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _post(client, product, **extra):
    data = {
        "kind": "quality",
        "message": "Gói miến mua ở chợ bị mốc, hạn dùng còn 3 tháng.",
        "reporter_name": "Chị Lan",
        "reporter_phone": "0987654321",
        "reporter_email": "lan@example.org",
        "website": "",
    }
    data.update(extra)
    return client.post(f"/san-pham-ocop/{product.pk}/phan-anh/", data)


def _jpeg() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = "anh.jpg"
    return buffer


def test_anyone_can_report_with_a_photo(client, portal):
    response = _post(client, portal.mien, photo=_jpeg())
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.product == portal.mien and feedback.status == "new"
    assert feedback.photo.name.endswith(".jpg")
    with Image.open(feedback.photo.path) as img:
        assert img.format == "JPEG" and not img.info.get("exif")


def test_not_an_image_is_refused(client, portal):
    bogus = io.BytesIO(b"<?php echo 1; ?>")
    bogus.name = "anh.jpg"
    response = _post(client, portal.mien, photo=bogus)
    assert response.status_code == 400
    assert Feedback.objects.count() == 0


def test_honeypot_stores_nothing(client, portal):
    response = _post(client, portal.mien, website="http://spam.example")
    assert response.status_code == 302
    assert Feedback.objects.count() == 0


@override_settings(PORTAL_FEEDBACK_LIMIT=2)
def test_rate_limit_per_ip(client, portal):
    assert _post(client, portal.mien).status_code == 302
    assert _post(client, portal.che).status_code == 302
    response = _post(client, portal.mien)
    assert response.status_code == 429
    assert "quá nhiều" in response.content.decode()
    assert Feedback.objects.count() == 2
    other = client.post(
        f"/san-pham-ocop/{portal.mien.pk}/phan-anh/",
        {"kind": "other", "message": "Một phản ánh khác từ nơi khác."},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_moderation_is_scoped_and_answer_becomes_public(client, portal):
    _post(client, portal.mien)
    feedback = Feedback.objects.get()
    page = client.get(portal.mien.portal_listing.get_absolute_url()).content.decode()
    assert "Gói miến mua ở chợ" not in page  # not moderated yet

    outsider = portal.world.users.outsider
    client.login(username=outsider.username, password=PASSWORD)
    assert client.get(f"/quan-ly/phan-anh/{feedback.pk}/").status_code == 404
    assert "Gói miến" not in client.get("/quan-ly/phan-anh/").content.decode()
    response = client.post(f"/quan-ly/phan-anh/{feedback.pk}/", {"status": "answered", "answer": "x"})
    assert response.status_code == 404

    client.login(username="tinh-thainguyen", password=PASSWORD)
    listing = client.get("/quan-ly/phan-anh/").content.decode()
    assert "Miến dong Nam Mẫu" in listing
    detail = client.get(f"/quan-ly/phan-anh/{feedback.pk}/").content.decode()
    assert "0987654321" in detail  # the moderating officer sees the contact…
    assert AuditLog.objects.filter(action=AuditLog.Action.VIEW_PERSONAL, object_pk=str(feedback.pk)).exists()
    response = client.post(f"/quan-ly/phan-anh/{feedback.pk}/", {"status": "answered", "answer": ""})
    assert "Cần nội dung trả lời" in response.content.decode()
    response = client.post(
        f"/quan-ly/phan-anh/{feedback.pk}/",
        {"status": "answered", "answer": "Đã kiểm tra lô hàng, yêu cầu HTX thu hồi."},
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "answered" and feedback.answered_by.username == "tinh-thainguyen"

    client.logout()
    page = client.get(portal.mien.portal_listing.get_absolute_url()).content.decode()
    assert "Gói miến mua ở chợ" in page and "yêu cầu HTX thu hồi" in page
    assert "0987654321" not in page and "lan@example.org" not in page  # …the public never


def test_producer_sees_no_reports(client, portal):
    _post(client, portal.mien)
    client.login(username="htx-nammau", password=PASSWORD)
    assert client.get(f"/quan-ly/phan-anh/{Feedback.objects.get().pk}/").status_code == 404


def test_moderation_needs_login(client, portal):
    response = client.get("/quan-ly/phan-anh/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
