from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ocop.certification.services.reminders import expiry_reminders_send


class Command(BaseCommand):
    help = "Việc hằng ngày: tạo thông báo và gửi thư cho giấy chứng nhận hết hạn trong 30 ngày tới."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Ngày chạy (YYYY-MM-DD), mặc định hôm nay.")
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Ngày không hợp lệ, cần dạng YYYY-MM-DD.") from exc
        notices = expiry_reminders_send(today=today, within_days=options["days"])
        self.stdout.write(f"Đã tạo {len(notices)} thông báo sắp hết hạn ({today:%d/%m/%Y}).")
