"""Evidence is checked by content, not only by extension (issue 18): HTML named .pdf is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.evaluation.models import Evidence
from ocop.evaluation.services.dossiers import evidence_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("giay-phep.pdf", b"<html><script>alert(1)</script></html>"),
        ("anh.png", b"<!doctype html><p>x</p>"),
        ("don.docx", b"<html></html>"),
        ("anh.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    ],
)
def test_a_file_whose_content_contradicts_its_extension_is_refused(world, name, content):
    with pytest.raises(ValidationError, match="nhưng nội dung là"):
        evidence_create(
            user=world.users.producer,
            entity=world.entities.nam_mau,
            title="Giấy phép",
            upload=SimpleUploadedFile(name, content),
        )
    assert not Evidence.objects.exists()


def test_a_real_pdf_is_kept(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = evidence_create(
        user=world.users.producer,
        entity=world.entities.nam_mau,
        title="Giấy phép",
        upload=SimpleUploadedFile("giay-phep.pdf", b"%PDF-1.4\n%%EOF"),
    )
    assert evidence.file.name.endswith(".pdf")
