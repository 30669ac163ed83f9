"""`ocop backup` / `ocop restore`: one tar.gz with every table's rows, the uploaded files and a manifest.

Uploaded files come from both media roots: the public one (``MEDIA_ROOT``: product photos) and the private
one beside it (``<MEDIA_ROOT>-private``: evidence, reports, feedback photos awaiting moderation), archived
under ``media/`` and ``media-private/``.

The same format serves SQLite and PostgreSQL (and moves data between them): ``data.jsonl`` holds one JSON
object per row (``{"model", "pk", "fields"}``, Django's serializer, keys sorted) model by model in dependency
order and rows by primary key. That makes the file canonical: its SHA-256, kept in ``manifest.json`` with the
row count of each model and the SHA-256 of each media file, is recomputed after a restore and must match.

Restore migrates the target database and creates the cache table (the site's database cache: without it
every page answered 500 until ``ocop init`` ran), refuses one that already holds accounts or records (unless
``force``), replaces every table's rows in one transaction, resets PostgreSQL sequences and unpacks the
media files of both roots.

``ocop.core`` imports no domain app: models are looked up by label (``apps.get_model``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model

# Format 2 keeps datetimes to the microsecond. Format 1 (Django's JSON encoder) cut them to milliseconds, and
# a value with 1–999 µs came back from the restore as a whole second, written without its ".000": about one
# stored time in a thousand, so the checksum of nearly every real backup failed after a restore. Format 1
# archives still restore, checked by their row counts.
FORMAT = 2
READABLE_FORMATS = {1, 2}
EXCLUDED = {"sessions.session"}  # sessions are throw-away; the cache table is not a model
BATCH = 2000


class BackupError(Exception):
    """A Vietnamese message for the operator; nothing was changed."""


@dataclass
class BackupResult:
    path: Path
    counts: dict[str, int]
    sha256: str
    media_files: int


def _models() -> list[type[Model]]:
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.label_lower not in EXCLUDED
        and not m._meta.proxy
        and m._meta.managed
        and not m._meta.swapped
    ]


class CanonicalEncoder(DjangoJSONEncoder):
    """Django's JSON encoder, but times keep their microseconds, so a restored row encodes the same."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time):
            return o.isoformat()
        return super().default(o)


ENCODERS = {1: DjangoJSONEncoder, 2: CanonicalEncoder}


def _rows(model: type[Model], encoder: type[json.JSONEncoder]) -> Iterator[str]:
    qs = model._base_manager.order_by("pk")
    objects = qs.iterator(chunk_size=BATCH)
    for row in serializers.serialize("python", objects):
        yield json.dumps(
            {"model": row["model"], "pk": row["pk"], "fields": row["fields"]},
            sort_keys=True,
            ensure_ascii=False,
            cls=encoder,
        )


def canonical_dump(out, *, version: int | None = None) -> tuple[dict[str, int], str]:
    """Write every row as JSON lines to ``out`` (binary); return counts per model and the SHA-256."""
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    encoder = ENCODERS[version or FORMAT]
    for model in _models():
        n = 0
        for line in _rows(model, encoder):
            data = (line + "\n").encode()
            digest.update(data)
            if out is not None:
                out.write(data)
            n += 1
        counts[model._meta.label_lower] = n
    return counts, digest.hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_roots() -> dict[str, Path]:
    """Archive folder → media root: public uploads and the private ones (``ocop.core.uploads``)."""
    from .uploads import private_media_root

    return {"media": Path(settings.MEDIA_ROOT), "media-private": private_media_root()}


MANIFEST_KEYS = {"media": "media", "media-private": "media_private"}


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def media_checksums() -> dict[str, dict[str, str]]:
    """Manifest key → {path relative to its root: SHA-256} for every uploaded file."""
    return {
        MANIFEST_KEYS[folder]: {str(p.relative_to(root)): _file_sha256(p) for p in _media_files(root)}
        for folder, root in media_roots().items()
    }


def table_digests() -> dict[str, tuple[int, str]]:
    """Model label → (rows, SHA-256 of its canonical rows): what a restore must reproduce table by table."""
    digests = {}
    for model in _models():
        digest = hashlib.sha256()
        n = 0
        for line in _rows(model, ENCODERS[FORMAT]):
            digest.update((line + "\n").encode())
            n += 1
        digests[model._meta.label_lower] = (n, digest.hexdigest())
    return digests


def backup(out_dir: Path) -> BackupResult:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = out_dir / f"ocop-backup-{stamp}.tar.gz"
    roots = media_roots()
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / "data.jsonl"
        # One read transaction: a consistent snapshot on PostgreSQL (REPEATABLE READ is not needed for
        # SQLite, whose reader sees one snapshot per transaction in WAL mode).
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with data_path.open("wb") as fh:
                counts, sha = canonical_dump(fh)
        files = media_checksums()
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "counts": counts,
            "sha256": sha,
            **files,
        }
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            payload = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
            tar.add(data_path, arcname="data.jsonl")
            for folder, root in roots.items():
                for rel in files[MANIFEST_KEYS[folder]]:
                    tar.add(root / rel, arcname=f"{folder}/{rel}")
        partial.chmod(0o600)  # personal data inside: readable by the owner only
        os.replace(partial, target)
    return BackupResult(target, counts, sha, sum(len(f) for f in files.values()))


def _has_user_data() -> bool:
    from django.db.utils import DatabaseError

    try:
        return any(apps.get_model(label).objects.exists() for label in ("accounts.User", "producers.Entity"))
    except DatabaseError:  # tables not created yet: an empty database
        return False


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for m in tar.getmembers():
        name = Path(m.name)
        if name.is_absolute() or ".." in name.parts or not (m.isfile() or m.isdir()):
            raise BackupError(f"Tệp sao lưu có mục không hợp lệ: {m.name}")
        members.append(m)
    return members


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("Tệp sao lưu thiếu manifest.json.")
        return json.load(member)


def restore(archive: Path, *, force: bool = False, migrate: bool = True) -> dict:
    from django.core.management import call_command

    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"Không thấy tệp sao lưu {archive}.")
    manifest = read_manifest(archive)
    version = manifest.get("format")
    if version not in READABLE_FORMATS:
        raise BackupError("Định dạng tệp sao lưu không được hỗ trợ.")
    if _has_user_data() and not force:
        raise BackupError(
            "Cơ sở dữ liệu đích đã có dữ liệu (tài khoản hoặc chủ thể). Khôi phục vào một CSDL trống, "
            "hoặc thêm --force để thay toàn bộ dữ liệu hiện có."
        )
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # the database cache every page uses
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
        members = _safe_members(tar)
        tar.extractall(tmp, members=members, filter="data")
        data_path = Path(tmp) / "data.jsonl"
        if _file_sha256(data_path) != manifest["sha256"]:
            raise BackupError("Tệp sao lưu bị hỏng: tổng kiểm tra dữ liệu không khớp.")
        roots = media_roots()
        for folder in roots:
            source = Path(tmp) / folder
            for rel, file_sha in manifest.get(MANIFEST_KEYS[folder], {}).items():
                if not (source / rel).is_file() or _file_sha256(source / rel) != file_sha:
                    raise BackupError(f"Tệp đính kèm bị hỏng hoặc thiếu: {folder}/{rel}")
        with transaction.atomic():  # a mismatch rolls the whole load back
            _load(data_path)
            counts, sha = canonical_dump(None, version=version)
            differ = sorted(
                label
                for label in set(counts) | set(manifest["counts"])
                if counts.get(label, 0) != manifest["counts"].get(label, 0)
            )
            if differ:
                raise BackupError(
                    "Dữ liệu sau khi khôi phục không khớp với bản sao lưu: số bản ghi khác ở "
                    + ", ".join(differ)
                    + "."
                )
            if version >= 2 and sha != manifest["sha256"]:
                raise BackupError("Dữ liệu sau khi khôi phục không khớp với bản sao lưu (tổng kiểm tra).")
        files = 0
        for folder, root in roots.items():
            for rel in manifest.get(MANIFEST_KEYS[folder], {}):
                dest = root / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes((Path(tmp) / folder / rel).read_bytes())
                if folder != "media":
                    dest.chmod(0o600)
                files += 1
    return {"counts": counts, "sha256": sha, "media_files": files}


def _load(data_path: Path) -> None:
    models = _models()
    by_label = {m._meta.label_lower: m for m in models}
    tables = [m._meta.db_table for m in models]
    with transaction.atomic():
        with connection.cursor() as cursor:
            flush = connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=True)
            for sql in flush:
                cursor.execute(sql)
        with connection.constraint_checks_disabled():
            batch: list[dict] = []
            current = None
            with data_path.open("rb") as fh:
                for raw in fh:
                    row = json.loads(raw)
                    if row["model"] != current and batch:
                        _insert(by_label[current], batch)
                        batch = []
                    current = row["model"]
                    batch.append(row)
                    if len(batch) >= BATCH:
                        _insert(by_label[current], batch)
                        batch = []
            if batch:
                _insert(by_label[current], batch)
        connection.check_constraints(table_names=tables)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def _insert(model: type[Model], rows: list[dict]) -> None:
    objects = []
    m2m: list[tuple[Model, dict]] = []
    for obj in serializers.deserialize("python", rows, ignorenonexistent=True):
        objects.append(obj.object)
        if obj.m2m_data:
            m2m.append((obj.object, obj.m2m_data))
    # Keep the stored times: auto_now / auto_now_add would stamp "now" on every restored row.
    stamped = [
        f
        for f in model._meta.local_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    try:
        for f in stamped:
            f.auto_now = f.auto_now_add = False
        model._base_manager.bulk_create(objects, batch_size=500)
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add
    for instance, relations in m2m:
        for name, values in relations.items():
            getattr(instance, name).set(values)
