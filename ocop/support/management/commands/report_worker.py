"""`ocop report_worker`: build waiting annual reports (support.reports), one at a time."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from ocop.support.reports import job_run_next


class Command(BaseCommand):
    help = "Tạo các báo cáo năm OCOP đang chờ."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Chạy hết các việc đang chờ rồi thoát")
        parser.add_argument("--sleep", type=float, default=2.0, help="Giây chờ giữa hai lần hỏi việc mới")

    def handle(self, *args, **options) -> None:
        try:
            while True:
                if not connection.in_atomic_block:
                    close_old_connections()
                job = job_run_next()
                if job is not None:
                    self.stdout.write(
                        f"Báo cáo #{job.pk} ({job.year}, {job.province}): {job.get_status_display()}"
                    )
                    continue
                if options["once"]:
                    return
                time.sleep(options["sleep"])
        except KeyboardInterrupt:
            self.stdout.write("Dừng.")
