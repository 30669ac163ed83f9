"""Community feedback on a product's public page: an anonymous report (rate-limited, its photo re-encoded
and kept private), the officers' answer that makes it public, and the log of who opened a report's
contact details."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ocop.core import ratelimit
from ocop.core.audit import audit_record
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.core.scoping import CHANGE

from ..choices import FeedbackKind, FeedbackStatus
from ..models import Feedback

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ocop.accounts.models import User
    from ocop.products.models import Product

FEEDBACK_MAX_UPLOAD = 8 * 1024 * 1024
FEEDBACK_MAX_SIDE = 1600


class RateLimited(Exception):
    """Too many reports from one address; the view answers 429."""


def _ip_key(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def feedback_rate_check(*, ip: str) -> None:
    """Count one submission for this address in the shared cache; raise RateLimited past the limit."""
    limit = getattr(settings, "PORTAL_FEEDBACK_LIMIT", 5)
    window = getattr(settings, "PORTAL_FEEDBACK_WINDOW_SECONDS", 3600)
    if not ratelimit.hit(f"portal:feedback:{ip}", limit, window):
        raise RateLimited("Bạn đã gửi quá nhiều phản ánh. Vui lòng thử lại sau một giờ.")


def _reencode_photo(upload: UploadedFile) -> bytes:
    """Content checked against the extension, then decoded and re-encoded as JPEG without any metadata."""
    from ocop.core.uploads import reencode_image

    content, _ext = reencode_image(
        upload, max_side=FEEDBACK_MAX_SIDE, max_bytes=FEEDBACK_MAX_UPLOAD, quality=82, field="photo"
    )
    return content


@transaction.atomic
def feedback_submit(
    *,
    product: Product,
    kind: str,
    message: str,
    ip: str,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    photo: UploadedFile | None = None,
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
        # Private storage (never under MEDIA_URL) and an unguessable name: the photo is handed out by
        # views.feedback_photo to the moderating officers, and to everyone only once the report is public.
        feedback.photo.save(f"{secrets.token_urlsafe(18)}.jpg", ContentFile(content), save=False)
    feedback.save()
    audit_record(user=None, action=AuditLog.Action.CREATE, instance=feedback)  # anonymous: no contact in it
    return feedback


@transaction.atomic
def feedback_answer(*, user: User, feedback: Feedback, status: str, answer: str) -> Feedback:
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


def feedback_view_logged(*, user: User, feedback: Feedback) -> None:
    """Opening a report shows the reporter's contact details: personal data, so the view is logged."""
    if feedback.reporter_phone or feedback.reporter_email:
        audit_record(user=user, action=AuditLog.Action.VIEW_PERSONAL, instance=feedback)
