"""Writes of the portal: the public listing (read model) and community feedback."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ocop.core.audit import audit_record
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.core.scoping import CHANGE
from ocop.core.text import fold

from .cache import connect_signals, portal_changed
from .choices import FeedbackKind, FeedbackStatus
from .models import Feedback, PortalListing

CHUNK = 500
connect_signals()  # public page cache: product/entity/image/feedback writes bump the portal version
FEEDBACK_MAX_UPLOAD = 8 * 1024 * 1024
FEEDBACK_MAX_SIDE = 1600


def slug_for(text: str) -> str:
    return slugify(fold(text))[:100] or "san-pham"


def _listing_row(product, certificate) -> PortalListing:
    commune = product.commune
    district = commune.parent if commune.parent_id and commune.parent.level == "district" else None
    province = commune.province or commune
    new_commune = commune if not commune.is_legacy else commune.successor
    new_province = new_commune.province if new_commune is not None else None
    lat, lon = commune.latitude, commune.longitude
    if (lat is None or lon is None) and new_commune is not None:
        lat, lon = new_commune.latitude, new_commune.longitude
    return PortalListing(
        product_id=product.pk,
        name=product.name,
        slug=slugify(product.name_key)[:100] or "san-pham",
        # The product's own keys already hold the folded product, entity and place names (old and new).
        name_key=product.name_key,
        entity_key=product.entity.name_key,
        search_key=product.search_key[:800],
        entity_id=product.entity_id,
        entity_name=product.entity.name,
        group_code=product.group_code,
        stars=certificate.stars,
        certificate_id=certificate.pk,
        certificate_number=certificate.number,
        valid_from=certificate.valid_from,
        valid_to=certificate.valid_to,
        commune_id=commune.pk,
        commune_name=commune.name,
        district_name=district.name if district else "",
        province_id=province.pk,
        province_name=province.name,
        new_commune_id=new_commune.pk if new_commune else None,
        new_province_id=new_province.pk if new_province else None,
        latitude=lat,
        longitude=lon,
    )


@transaction.atomic
def listing_refresh(*, product_ids: Iterable[int]) -> int:
    """Bring the public listing of these products up to date; returns the rows written.

    A product is listed when its latest certificate has not been ended (revoked, or replaced by a
    non-OCOP result): in force or expired-not-renewed. Revoked products are never listed.
    """
    from ocop.certification.models import Certificate
    from ocop.products.models import Product

    ids = sorted({int(pk) for pk in product_ids})
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        latest: dict[int, Certificate] = {}
        for certificate in Certificate.objects.filter(product_id__in=chunk).order_by("valid_from", "id"):
            latest[certificate.product_id] = certificate
        rows = []
        products = Product.objects.filter(pk__in=[pk for pk, c in latest.items() if c.ended_on is None])
        for product in products.select_related(
            "entity",
            "commune",
            "commune__parent",
            "commune__province",
            "commune__successor",
            "commune__successor__province",
        ):
            rows.append(_listing_row(product, latest[product.pk]))
        PortalListing.objects.filter(product_id__in=chunk).delete()
        PortalListing.objects.bulk_create(rows, batch_size=CHUNK)
        written += len(rows)
    portal_changed()
    return written


def listing_rebuild() -> int:
    """Rebuild the whole listing (management command rebuild_portal_index)."""
    from ocop.certification.models import Certificate

    ids = set(Certificate.objects.values_list("product_id", flat=True).distinct())
    with transaction.atomic():
        PortalListing.objects.exclude(product_id__in=ids).delete()
        return listing_refresh(product_ids=ids)


# -- community feedback ------------------------------------------------------------------------------
class RateLimited(Exception):
    """Too many reports from one address; the view answers 429."""


def _ip_key(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def feedback_rate_check(*, ip: str) -> None:
    """Count one submission for this address in the shared cache; raise RateLimited past the limit."""
    limit = getattr(settings, "PORTAL_FEEDBACK_LIMIT", 5)
    window = getattr(settings, "PORTAL_FEEDBACK_WINDOW_SECONDS", 3600)
    key = f"portal:feedback:{_ip_key(ip)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited("Bạn đã gửi quá nhiều phản ánh. Vui lòng thử lại sau một giờ.")


def _reencode_photo(upload) -> bytes:
    """Decode and re-encode as JPEG: drops metadata (GPS), scripts and polyglot tails."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size > FEEDBACK_MAX_UPLOAD:
        raise ValidationError({"photo": "Ảnh quá lớn (tối đa 8 MB)."})
    upload.seek(0)
    try:
        with Image.open(upload) as img:
            if img.width * img.height > 40_000_000:
                raise ValidationError({"photo": "Ảnh quá lớn."})
            img = ImageOps.exif_transpose(img)
            img.thumbnail((FEEDBACK_MAX_SIDE, FEEDBACK_MAX_SIDE))
            out = io.BytesIO()
            img.convert("RGB").save(out, format="JPEG", quality=82, optimize=True, progressive=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError({"photo": "Tệp đính kèm không phải là ảnh hợp lệ."}) from exc


@transaction.atomic
def feedback_submit(
    *,
    product,
    kind: str,
    message: str,
    ip: str,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    photo=None,
) -> Feedback:
    feedback_rate_check(ip=ip)
    feedback = Feedback(
        product=product,
        kind=kind if kind in FeedbackKind.values else FeedbackKind.OTHER,
        message=message.strip(),
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_email=reporter_email.strip(),
        ip_hash=_ip_key(ip),
    )
    feedback.full_clean(exclude=["photo"])
    if photo:
        content = _reencode_photo(photo)
        feedback.photo.save(f"phan-anh-{timezone.now():%Y%m%d%H%M%S}.jpg", ContentFile(content), save=False)
    feedback.save()
    return feedback


@transaction.atomic
def feedback_answer(*, user, feedback: Feedback, status: str, answer: str) -> Feedback:
    """Record the officers' answer; an answered report (with its answer) becomes public."""
    locked = Feedback.objects.for_user(user, CHANGE).select_for_update().filter(pk=feedback.pk).first()
    moderator = user.is_superuser or user.role in {"admin", "province_officer"}
    if locked is None or not moderator:
        raise ScopeError("Không tìm thấy phản ánh trong phạm vi của bạn.")
    if status not in FeedbackStatus.values or status == FeedbackStatus.NEW:
        raise ValidationError({"status": "Chọn kết quả xử lý."})
    if status == FeedbackStatus.ANSWERED and not answer.strip():
        raise ValidationError({"answer": "Cần nội dung trả lời trước khi công khai."})
    before = {"status": locked.status, "answer": locked.answer}
    locked.status = status
    locked.answer = answer.strip()
    locked.answered_by = user
    locked.answered_at = timezone.now()
    locked.full_clean(exclude=["photo"])
    locked.save()
    changes = {k: [v, getattr(locked, k)] for k, v in before.items() if v != getattr(locked, k)}
    audit_record(user=user, action=AuditLog.Action.UPDATE, instance=locked, changes=changes)
    return locked


def feedback_view_logged(*, user, feedback: Feedback) -> None:
    """Opening a report shows the reporter's contact details: personal data, so the view is logged."""
    if feedback.reporter_phone or feedback.reporter_email:
        audit_record(user=user, action=AuditLog.Action.VIEW_PERSONAL, instance=feedback)
