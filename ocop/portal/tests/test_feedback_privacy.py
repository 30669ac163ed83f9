"""Feedback photos awaiting moderation are private, under unguessable names (issue 18)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from PIL import Image

from ocop.core.uploads import private_media_root
from ocop.portal.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _report(client, product, photo):
    data = {"kind": "quality", "message": "Gói miến bị mốc.", "website": "", "photo": photo}
    return client.post(f"/san-pham-ocop/{product.pk}/phan-anh/", data)


def _jpeg(name="anh.jpg", **save) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, format="JPEG", **save)
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_photo_is_stored_privately_under_an_unguessable_name(client, portal, world):
    assert _report(client, portal.mien, _jpeg(comment=b"nha toi o so 5")).status_code == 302
    item = Feedback.objects.get()
    path = item.photo.path
    assert path.startswith(str(private_media_root())) and not path.startswith(f"{settings.MEDIA_ROOT}/")
    name = item.photo.name.rsplit("/", 1)[-1]
    assert len(name) >= 24 and not name[:8].isdigit()  # not the upload time
    assert b"nha toi o so 5" not in Path(path).read_bytes()  # the JPEG comment is gone
    assert client.get(f"/media/{item.photo.name}").status_code == 404  # not public media

    photo = f"/phan-anh/{item.pk}/anh/"
    assert client.get(photo).status_code == 404  # the public, while it awaits moderation
    client.force_login(world.users.outsider)
    assert client.get(photo).status_code == 404  # an officer of another province
    client.force_login(world.users.province)
    shown = client.get(photo)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown["X-Content-Type-Options"] == "nosniff"
    page = client.get(f"/quan-ly/phan-anh/{item.pk}/").content.decode()
    assert photo in page


def test_photo_becomes_visible_once_the_report_is_answered(client, portal, world):
    from ocop.portal.services.feedback import feedback_answer

    _report(client, portal.mien, _jpeg())
    item = Feedback.objects.get()
    feedback_answer(user=world.users.province, feedback=item, status="answered", answer="Đã kiểm tra.")
    client.logout()
    assert client.get(f"/phan-anh/{item.pk}/anh/").status_code == 200


def test_an_svg_named_jpg_is_refused(client, portal):
    svg = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    svg.name = "anh.jpg"
    response = _report(client, portal.mien, svg)
    assert response.status_code == 400  # the form or the content check refuses it
    assert not Feedback.objects.exists()
