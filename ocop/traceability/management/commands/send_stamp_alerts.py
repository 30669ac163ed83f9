from __future__ import annotations

from django.core.management.base import BaseCommand

from ocop.traceability.alerts import alerts_mail_send


class Command(BaseCommand):
    help = "Gửi thư các cảnh báo tem mới (chạy định kỳ vài phút một lần)."

    def handle(self, *args, **options):
        sent = alerts_mail_send()
        self.stdout.write(f"Đã gửi {sent} cảnh báo tem qua thư.")
