"""Uploaded files: what a file really is, pictures without their metadata, and where private files live.

One module for every upload of the site (evidence documents, product photos, feedback photos), so the
rules are written once:

* ``check_content`` — the extension must be one the caller accepts *and* the bytes must be of that kind
  (magic bytes: ``%PDF-``, the JPEG/PNG/WebP/GIF signatures, an OOXML or OpenDocument zip with the right
  parts, an OLE2 compound file for .doc/.xls). An HTML page named ``.pdf`` or an SVG named ``.jpg`` is
  refused with a message that says what the file really looks like.
* ``reencode_image`` — decode with Pillow and encode again from the pixels alone: every metadata segment
  (EXIF with GPS, XMP, ICC, IPTC, the JPEG comment segment, PNG text chunks), embedded scripts and polyglot
  tails are gone, and the picture is upright (EXIF orientation applied first).
* ``private_media_root`` / ``private_storage`` — files that must never be served as static media (evidence,
  reports, feedback photos awaiting moderation) live beside ``MEDIA_ROOT`` in ``<MEDIA_ROOT>-private``;
  views hand them out after a scope check. ``ocop backup`` archives both roots.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property

MAX_PIXELS = 40_000_000  # larger pictures are refused before decoding (decompression bombs)

KIND_LABELS = {
    "pdf": "PDF",
    "jpeg": "ảnh JPEG",
    "png": "ảnh PNG",
    "webp": "ảnh WebP",
    "gif": "ảnh GIF",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "odt": "OpenDocument (.odt)",
    "ole": "Word/Excel đời cũ (.doc/.xls)",
    "html": "trang web (HTML)",
    "svg": "ảnh vector SVG (có thể chứa mã lệnh)",
    "zip": "tệp nén ZIP",
}
EXTENSION_KINDS = {
    ".pdf": "pdf",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".webp": "webp",
    ".gif": "gif",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".odt": "odt",
    ".doc": "ole",
    ".xls": "ole",
}
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})


def _head(upload, size: int = 2048) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _zip_kind(upload) -> str:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # a few bytes only: never inflate a bomb
                    if member.read(64).startswith(b"application/vnd.oasis.opendocument.text"):
                        return "odt"
            return "zip"
    except (zipfile.BadZipFile, OSError, KeyError):
        return ""
    finally:
        upload.seek(0)


def sniff(upload) -> str:
    """What the bytes are (a key of KIND_LABELS), or "" when nothing known matches."""
    head = _head(upload)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text:
        return "svg"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or b"<html" in text:
        return "html"
    return ""


def check_content(upload, *, allowed: frozenset[str] | set[str], field: str | None = None) -> str:
    """Refuse a file whose extension is not in ``allowed`` or whose content is not what its extension says.
    Returns the kind found. ``field``: the form field the error belongs to."""
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in allowed or ext not in EXTENSION_KINDS:
        accepted = ", ".join(sorted(e.lstrip(".") for e in allowed))
        _refuse(f"Không nhận tệp {ext or 'không có đuôi'}: chỉ nhận {accepted}.", field)
    expected = EXTENSION_KINDS[ext]
    found = sniff(upload)
    if found != expected:
        what = KIND_LABELS.get(found, "một loại tệp khác")
        _refuse(
            f"Tệp “{upload.name}” có đuôi {ext} nhưng nội dung là {what}, không phải "
            f"{KIND_LABELS[expected]}. Hãy tải lên đúng tệp gốc.",
            field,
        )
    return found


def _refuse(message: str, field: str | None) -> None:
    raise ValidationError({field: message} if field else message)


def reencode_image(
    upload,
    *,
    max_side: int,
    max_bytes: int | None = None,
    keep_alpha: bool = False,
    quality: int = 85,
    field: str | None = None,
) -> tuple[bytes, str]:
    """The picture decoded and encoded again without any metadata: (bytes, "jpg" | "png"). PNG only when
    ``keep_alpha`` and the picture has transparency."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if max_bytes is not None and (upload.size or 0) > max_bytes:
        _refuse(f"Ảnh quá lớn (tối đa {max_bytes // (1024 * 1024)} MB).", field)
    check_content(upload, allowed=IMAGE_EXTENSIONS, field=field)
    upload.seek(0)
    try:
        with Image.open(upload) as opened:
            if opened.width * opened.height > MAX_PIXELS:
                _refuse("Ảnh quá lớn (quá nhiều điểm ảnh).", field)
            img = ImageOps.exif_transpose(opened)
            img.thumbnail((max_side, max_side))
            alpha = keep_alpha and img.mode in ("RGBA", "LA", "P")
            clean = img.convert("RGBA" if alpha else "RGB")
            # Pillow copies ``info`` (comment, icc_profile, exif, dpi, PNG text…) through convert and writes
            # some of it back on save; only the pixels may go out.
            clean.info = {}
            out = io.BytesIO()
            if alpha:
                clean.save(out, format="PNG", optimize=True)
                return out.getvalue(), "png"
            clean.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
            return out.getvalue(), "jpg"
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ValidationError(
            {field: "Tệp đính kèm không phải là ảnh hợp lệ."} if field else "Tệp không phải là ảnh hợp lệ."
        ) from exc


def private_media_root() -> Path:
    media = Path(settings.MEDIA_ROOT)
    return media.parent / f"{media.name}-private"


class PrivateStorage(FileSystemStorage):
    """Files handed out only by views that check scope (never under MEDIA_URL). The root is worked out from
    MEDIA_ROOT when first needed and again whenever MEDIA_ROOT changes (Django clears these properties on
    ``setting_changed``), not frozen when the model class is built."""

    @cached_property
    def base_location(self):
        return private_media_root()

    @cached_property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage() -> FileSystemStorage:
    return PrivateStorage()
