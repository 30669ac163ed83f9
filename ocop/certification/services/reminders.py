"""Expiry reminders: the daily job's notice (on screen and by e-mail) for each in-force certificate about to
end, and a reader marking a notice read."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

from django.db import transaction

from ocop.core.audit import audit_create, audit_update, snapshot

from ..models import Certificate, ExpiryNotice
from ..selectors import not_ended_on

if TYPE_CHECKING:
    from ocop.accounts.models import User


def _recipients_for(certificate: Certificate) -> list[str]:
    """The entity's e-mail, its producer accounts and the officers covering the product's commune."""
    from ocop.accounts.selectors import contact_emails

    product = certificate.product
    return contact_emails(entity=product.entity, commune_id=product.commune_id)


def expiry_reminders_send(*, today: dt.date, within_days: int = 30) -> list[ExpiryNotice]:
    """Daily job: a notice (on screen + e-mail) for each in-force certificate ending within ``within_days``.

    One notice per certificate, ever; e-mail goes out only after the notice is committed.
    """
    from django.conf import settings
    from django.core.mail import send_mail

    due = (
        Certificate.objects.filter(
            valid_from__lte=today, valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=within_days)
        )
        .filter(not_ended_on(today))
        .exclude(notices__isnull=False)
        .select_related("product", "product__entity", "event")
    )
    created = []
    for certificate in due:
        product = certificate.product
        days_left = (certificate.valid_to - today).days
        message = (
            f"Giấy chứng nhận OCOP {certificate.stars} sao của sản phẩm “{product.name}” "
            f"({product.entity.name}) hết hiệu lực ngày {certificate.valid_to:%d/%m/%Y} "
            f"(còn {days_left} ngày). "
            "Đề nghị chủ thể chuẩn bị hồ sơ đánh giá lại."
        )
        recipients = _recipients_for(certificate)
        with transaction.atomic():
            notice = ExpiryNotice.objects.create(
                certificate=certificate, notice_date=today, message=message, emailed_to=recipients
            )
            before = snapshot(certificate)
            certificate.reminded_on = today
            certificate.save(update_fields=["reminded_on", "updated_at"])
            # The daily job is the system's own act: audited with no user.
            audit_create(user=None, instance=notice)
            audit_update(user=None, instance=certificate, before=before)
            if recipients:
                transaction.on_commit(
                    functools.partial(
                        send_mail,
                        subject=f"[OCOP] Sắp hết hạn chứng nhận: {product.name}",
                        message=message,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=recipients,
                        fail_silently=False,
                    )
                )
        created.append(notice)
    return created


def notice_mark_read(*, user: User, notice: ExpiryNotice) -> None:
    if user.pk not in notice.read_by:
        before = snapshot(notice)
        notice.read_by = [*notice.read_by, user.pk]
        notice.save(update_fields=["read_by", "updated_at"])
        audit_update(user=user, instance=notice, before=before)
