"""`ocop backup` → `ocop restore` into a fresh database gives the same rows and files (issue 10).

The restore runs in a separate process against a database nobody has used: a new SQLite file in the SQLite
run, a new database on the same server in the PostgreSQL run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from ocop.core import backup as backup_module
from ocop.core.backup import BackupError, backup, read_manifest, restore
from ocop.producers.models import Entity
from ocop.products.models import ProductImage

ROOT = Path(__file__).resolve().parents[3]
AN_ODD_MICROSECOND = dt.datetime(2026, 11, 23, 12, 0, 0, 456, tzinfo=dt.UTC)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def _fresh_database_url(tmp_path: Path):
    """A URL to an empty database of the same kind as the test database, and a clean-up function."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    import psycopg

    s = connection.settings_dict
    name = f"ocop_restore_{uuid.uuid4().hex[:8]}"
    params = {
        "host": s["HOST"] or None,
        "port": s["PORT"] or None,
        "user": s["USER"],
        "password": s["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    host = s["HOST"] or "localhost"
    if host.startswith("/"):  # a Unix socket directory
        return f"postgres://{s['USER']}:{s['PASSWORD']}@/{name}?host={host}&port={s['PORT']}", drop
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{host}:{s['PORT']}/{name}", drop


def _env(database_url: str, media: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "OCOP_SECRET_KEY": "b" * 60,
        "DATABASE_URL": database_url,
        "OCOP_MEDIA_ROOT": str(media),
    }
    return env


def restore_in_another_process(archive: Path, database_url: str, media: Path) -> subprocess.CompletedProcess:
    """`manage.py restore ARCHIVE` with the production settings, into that database and media root."""
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env=_env(database_url, media),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db
def test_backup_restores_into_a_fresh_database_with_same_counts_checksum_and_files(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    image = ProductImage(product=world.products.mien, caption="Bao bì")
    image.image.save("mien.png", ContentFile(PNG), save=True)
    # A time with 1–999 µs: cut to milliseconds (backup format 1) it came back a different value.
    Entity.objects.filter(pk=world.entities.nam_mau.pk).update(updated_at=AN_ODD_MICROSECOND)

    result = backup(tmp_path / "out")
    manifest = read_manifest(result.path)
    assert manifest["format"] == 2
    assert manifest["counts"]["producers.entity"] == 3 and manifest["counts"]["products.productimage"] == 1
    assert manifest["counts"]["accounts.user"] == len(vars(world.users))
    assert list(manifest["media"]) == [image.image.name]
    assert oct(result.path.stat().st_mode)[-3:] == "600"

    url, drop = _fresh_database_url(tmp_path)
    restored_media = tmp_path / "restored-media"
    try:
        run = restore_in_another_process(result.path, url, restored_media)
        assert run.returncode == 0, run.stdout + run.stderr
        assert manifest["sha256"] == result.sha256 and manifest["sha256"] in run.stdout
        # Independent check in another process: counts and checksum of the restored database.
        code = (
            "import django, json; django.setup(); from ocop.core.backup import canonical_dump; "
            "c, s = canonical_dump(None); print(json.dumps({'counts': c, 'sha256': s}))"
        )
        check = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=_env(url, restored_media),
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stderr
        restored = json.loads(check.stdout.strip().splitlines()[-1])
        assert restored["counts"] == manifest["counts"]
        assert restored["sha256"] == manifest["sha256"]
        assert (restored_media / image.image.name).read_bytes() == PNG

        again = subprocess.run(
            [sys.executable, "manage.py", "restore", str(result.path)],
            cwd=ROOT,
            env=_env(url, restored_media),
            capture_output=True,
            text=True,
        )
        assert again.returncode != 0 and "đã có dữ liệu" in again.stderr
    finally:
        drop()


@pytest.mark.django_db
def test_restore_refuses_a_database_with_data_and_a_damaged_archive(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    result = backup(tmp_path / "out")
    with pytest.raises(BackupError, match="đã có dữ liệu"):
        restore(result.path, migrate=False)

    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(result.path) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "data.jsonl":
                data = data.replace(b"HTX", b"HTZ", 1)
                member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="hỏng"):
        restore(damaged, force=True, migrate=False)


def test_backup_command_prints_a_summary(db, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", "--out", str(tmp_path / "out"))
    assert "Đã sao lưu" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_archive_of_format_1_still_restores_checked_by_its_counts(world, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    Entity.objects.filter(pk=world.entities.nam_mau.pk).update(updated_at=AN_ODD_MICROSECOND)
    monkeypatch.setattr(backup_module, "FORMAT", 1)  # times cut to milliseconds, as older archives have them
    result = backup(tmp_path / "out")
    assert read_manifest(result.path)["format"] == 1
    url, drop = _fresh_database_url(tmp_path)
    try:
        run = restore_in_another_process(result.path, url, tmp_path / "restored-media")
        assert run.returncode == 0, run.stdout + run.stderr
    finally:
        drop()
