"""Counterfeit alerts sent by e-mail to the producer and the officers of the product's place.

The scan log raises alerts in the server's writer thread, where sending mail would hold up scans; so
`ocop send_stamp_alerts` (cron, every few minutes) sends what is waiting: one message per product for all
its new alerts, to the entity, its producer accounts and the officers whose scope covers the product's
commune (``accounts.selectors.contact_emails``). Probing alerts (unknown codes from one source) name no
product and go to the system administrators. Every alert is sent once: it is marked in the same
transaction, and the mail leaves after the commit.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ocop.accounts.models import User
from ocop.accounts.roles import Role
from ocop.accounts.selectors import contact_emails

from .choices import AlertKind
from .models import StampAlert


def _admin_emails() -> list[str]:
    admins = User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True).exclude(email="")
    return sorted(set(admins.values_list("email", flat=True)))


def _line(alert: StampAlert) -> str:
    details = alert.details or {}
    where = f" — tem {details['code']}" if details.get("code") else ""
    if alert.kind == AlertKind.PROBING:
        count, day = details.get("unknown_scans", "?"), details.get("day", "")
        where = f" — {count} lượt hỏi mã không tồn tại trong ngày {day}"
    return f"• {alert.get_kind_display()}{where} ({timezone.localtime(alert.created_at):%d/%m/%Y %H:%M})"


def _message(product, alerts: list[StampAlert]) -> tuple[str, str]:
    lines = "\n".join(_line(alert) for alert in alerts)
    if product is None:
        return (
            "[OCOP] Cảnh báo dò mã tem",
            f"Hệ thống phát hiện nguồn truy cập dò các mã tem không tồn tại:\n{lines}\n\n"
            "Xem và xử lý tại mục Cảnh báo tem.",
        )
    return (
        f"[OCOP] Cảnh báo tem: {product.name}",
        f"Tem điện tử của sản phẩm “{product.name}” ({product.entity.name}) có dấu hiệu bất thường:\n"
        f"{lines}\n\nĐề nghị chủ thể và cơ quan quản lý kiểm tra, xử lý tại mục Cảnh báo tem.",
    )


def alerts_mail_send() -> int:
    """Send every open alert not yet e-mailed; returns the number of alerts sent."""
    waiting = list(
        StampAlert.objects.filter(emailed_at__isnull=True, resolved_at__isnull=True)
        .select_related("product", "product__entity")
        .order_by("created_at", "id")
    )
    by_product: dict[int | None, list[StampAlert]] = defaultdict(list)
    for alert in waiting:
        by_product[alert.product_id].append(alert)
    admins = _admin_emails() if None in by_product else []
    now = timezone.now()
    sent = 0
    for product_id, alerts in by_product.items():
        product = alerts[0].product if product_id is not None else None
        recipients = (
            admins
            if product is None
            else contact_emails(entity=product.entity, commune_id=product.commune_id)
        )
        subject, body = _message(product, alerts)
        with transaction.atomic():
            # Claim: another sender running at the same time gets 0 rows and skips this group.
            claimed = StampAlert.objects.filter(
                pk__in=[a.pk for a in alerts], emailed_at__isnull=True
            ).update(emailed_at=now, emailed_to=recipients)
            if claimed != len(alerts):
                transaction.set_rollback(True)
                continue
            if recipients:
                transaction.on_commit(
                    lambda s=subject, b=body, r=recipients: send_mail(
                        subject=s,
                        message=b,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=r,
                        fail_silently=False,
                    )
                )
        sent += len(alerts)
    return sent
