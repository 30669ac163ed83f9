"""Backup → restore into an empty database and empty media roots gives back every table's rows, every file
(public and private, by checksum) and the same pages, with the database cache working (issue 18: private
evidence was left out, and the restored site answered 500 — no ``ocop_cache`` table — until ``ocop init``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.core.backup import backup, read_manifest
from ocop.core.tests.test_backup import PNG, ROOT, _env, _fresh_database_url, restore_in_another_process
from ocop.evaluation.services.dossiers import evidence_create
from ocop.products.models import ProductImage
from ocop.testing import database_url

SETTINGS = """
from config.settings.prod import *  # noqa
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""
INSPECT = """
import json, re, django
django.setup()
from django.test import Client
from ocop.accounts.models import User
from ocop.core.backup import media_checksums, table_digests

tables, files = table_digests(), media_checksums()
pages = {}
client = Client()
def load(path):
    response = client.get(path)
    text = re.sub(r"[A-Za-z0-9]{64}", "<token>", response.content.decode())  # CSRF tokens differ per request
    pages[path] = [response.status_code, text]
load("/")
load("/healthz")
client.force_login(User.objects.get(username="tinh-thainguyen"))
load("/chu-the/")
load("/quan-ly/")
print(json.dumps({"tables": tables, "files": files, "pages": pages}))
"""


def _inspect(url: str, media: Path, settings_dir: Path) -> dict:
    env = _env(url, media) | {
        "DJANGO_SETTINGS_MODULE": "backup_settings",
        "PYTHONPATH": str(settings_dir),
        "OCOP_ALLOWED_HOSTS": "testserver",
    }
    run = subprocess.run(
        [sys.executable, "-c", INSPECT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_every_row_every_file_and_the_same_pages(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    image = ProductImage(product=world.products.mien, caption="Bao bì")
    image.image.save("mien.png", ContentFile(PNG), save=True)
    evidence = evidence_create(
        user=world.users.producer,
        entity=world.entities.nam_mau,
        title="Giấy chứng nhận ATTP",
        upload=SimpleUploadedFile("attp.pdf", b"%PDF-1.4\nbang chung\n%%EOF"),
    )
    private_file = Path(evidence.file.path)
    assert private_file.is_file() and "media-private" in str(private_file)
    subprocess.run(  # the original site's database cache (the test settings cache in memory)
        [sys.executable, "manage.py", "createcachetable"],
        cwd=ROOT,
        env=_env(database_url(), tmp_path / "media"),
        check=True,
        timeout=120,
    )
    (tmp_path / "backup_settings.py").write_text(SETTINGS)

    result = backup(tmp_path / "out")
    manifest = read_manifest(result.path)
    assert list(manifest["media"]) == [image.image.name]
    assert list(manifest["media_private"]) == [evidence.file.name]
    assert result.media_files == 2

    original = _inspect(database_url(), tmp_path / "media", tmp_path)
    url, drop = _fresh_database_url(tmp_path)
    restored_media = tmp_path / "restored" / "media"
    try:
        run = restore_in_another_process(result.path, url, restored_media)
        assert run.returncode == 0, run.stdout + run.stderr
        restored = _inspect(url, restored_media, tmp_path)  # no `ocop init` in between
    finally:
        drop()
    assert restored["tables"] == original["tables"]
    assert sum(n for n, _sha in original["tables"].values()) > 1000  # reference data included
    assert restored["files"] == original["files"]
    assert restored["files"]["media_private"] == {
        evidence.file.name: manifest["media_private"][evidence.file.name]
    }
    assert (
        restored_media.parent / "media-private" / evidence.file.name
    ).read_bytes() == private_file.read_bytes()
    for path, (status, html) in original["pages"].items():
        assert status == 200, path
        assert restored["pages"][path] == [status, html], path
