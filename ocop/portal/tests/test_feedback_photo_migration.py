"""Migration portal 0008 moves photos already uploaded to public media into private storage (issue 18)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from ocop.core.uploads import private_media_root
from ocop.portal.models import Feedback

pytestmark = pytest.mark.django_db
migration = importlib.import_module("ocop.portal.migrations.0008_feedback_photo_private")


def test_public_photos_move_to_private_storage_under_new_names(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    old = "feedback/1/phan-anh-20260101120000.jpg"
    (tmp_path / "media" / "feedback" / "1").mkdir(parents=True)
    (tmp_path / "media" / old).write_bytes(b"\xff\xd8\xffjpeg")
    item = Feedback.objects.create(product=world.products.mien, kind="quality", message="Mốc.", photo=old)
    missing = Feedback.objects.create(product=world.products.mien, kind="other", message="x", photo="a.jpg")

    migration.move_photos_out_of_public_media(apps, None)

    item.refresh_from_db()
    assert item.photo.name != old and item.photo.name.startswith(f"feedback/{world.products.mien.pk}/")
    assert (private_media_root() / item.photo.name).read_bytes() == b"\xff\xd8\xffjpeg"
    assert not (tmp_path / "media" / old).exists()
    missing.refresh_from_db()
    assert missing.photo.name == "a.jpg"
