"""Uploads are what their extension says (magic bytes); re-encoded pictures carry no metadata (issue 18)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocop.core.uploads import IMAGE_EXTENSIONS, check_content, reencode_image, sniff

EVIDENCE = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".webp", ".doc", ".docx", ".xls", ".xlsx", ".odt"})
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def _picture(fmt: str = "JPEG", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format=fmt, **save)
    return buffer.getvalue()


def _ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ho-so.pdf", b"%PDF-1.7\n..."),
        ("anh.jpg", _picture()),
        ("anh.png", _picture("PNG")),
        ("anh.webp", _picture("WEBP")),
        ("don.docx", _ooxml("word/document.xml")),
        ("bang.xlsx", _ooxml("xl/workbook.xml")),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
    ],
)
def test_real_files_pass(name, content):
    check_content(SimpleUploadedFile(name, content), allowed=EVIDENCE)


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("ho-so.pdf", HTML, "trang web"),
        ("anh.png", HTML, "trang web"),
        ("don.docx", HTML, "trang web"),
        ("anh.jpg", SVG, "SVG"),
        ("ho-so.pdf", _picture(), "ảnh JPEG"),
        ("don.docx", _ooxml("xl/workbook.xml"), "Excel"),
        ("bang.xlsx", b"PK\x03\x04 not really a zip", "một loại tệp khác"),
    ],
)
def test_content_that_is_not_what_the_extension_says_is_refused_with_what_it_is(name, content, said):
    with pytest.raises(ValidationError) as refused:
        check_content(SimpleUploadedFile(name, content), allowed=EVIDENCE)
    assert said in refused.value.messages[0] and name in refused.value.messages[0]


def test_an_extension_not_accepted_is_refused():
    with pytest.raises(ValidationError, match="chỉ nhận"):
        check_content(SimpleUploadedFile("a.exe", b"MZ"), allowed=EVIDENCE)
    assert sniff(SimpleUploadedFile("x", b"")) == ""


def _segments(jpeg: bytes) -> list[int]:
    """JPEG marker bytes up to the start of scan."""
    markers, pos = [], 2
    while pos < len(jpeg):
        assert jpeg[pos] == 0xFF
        marker = jpeg[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        pos += 2 + int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
    return markers


def test_reencoded_jpeg_keeps_no_comment_exif_or_icc_segment():
    exif = Image.Exif()
    exif[0x010E] = "GPS: 21.03, 105.85"
    source = _picture(comment=b"secret comment", exif=exif.tobytes(), icc_profile=b"\0" * 128)
    assert 0xFE in _segments(source) and 0xE1 in _segments(source)  # the test picture has them
    content, ext = reencode_image(SimpleUploadedFile("anh.jpg", source), max_side=100)
    assert ext == "jpg"
    markers = _segments(content)
    assert 0xFE not in markers  # COM
    assert not [m for m in markers if 0xE1 <= m <= 0xEF]  # APP1..APP15: EXIF, XMP, ICC, IPTC…
    assert b"secret comment" not in content and b"GPS" not in content


def test_reencoded_png_keeps_no_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret")
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(buffer, format="PNG", pnginfo=info)
    content, ext = reencode_image(
        SimpleUploadedFile("a.png", buffer.getvalue()), max_side=50, keep_alpha=True
    )
    assert ext == "png" and b"secret" not in content and b"tEXt" not in content


def test_a_picture_named_for_another_kind_is_refused():
    with pytest.raises(ValidationError, match="SVG"):
        reencode_image(SimpleUploadedFile("anh.jpg", SVG), max_side=100)
    assert ".jpg" in IMAGE_EXTENSIONS
