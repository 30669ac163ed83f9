"""`ocop worker`: run waiting background jobs of every queue (imports of large files, annual reports), one at
a time. Jobs are claimed with a conditional UPDATE, so several workers — or a worker and the web process —
never run the same job twice. Ctrl-C stops it between jobs."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from ocop.core.jobs import describe, run_next


class Command(BaseCommand):
    help = "Chạy các việc nền đang chờ (nhập danh sách lớn, báo cáo năm)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Chạy hết các việc đang chờ rồi thoát")
        parser.add_argument("--sleep", type=float, default=1.0, help="Giây chờ giữa hai lần hỏi việc mới")

    def handle(self, *args, **options) -> None:
        try:
            while True:
                if not connection.in_atomic_block:  # inside a test's transaction there is nothing to recycle
                    close_old_connections()
                job = run_next()
                if job is not None:
                    self.stdout.write(f"Việc {describe(job)}")
                    continue
                if options["once"]:
                    return
                time.sleep(options["sleep"])
        except KeyboardInterrupt:
            self.stdout.write("Dừng.")
