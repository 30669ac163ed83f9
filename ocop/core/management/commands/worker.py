"""`ocop worker`: run background jobs (core.jobs: stamp issuing, annual reports, support-record imports, the
recognition import's checks and imports), one at a time. Tasks are claimed under a row lock, so several
workers — or a worker and the web process's threads — never run one twice. Ctrl-C stops it between jobs."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from ocop.core.jobs import run_next


class Command(BaseCommand):
    help = "Chạy các việc nền đang chờ (phát hành tem, báo cáo năm, nhập hồ sơ hỗ trợ, nhập danh sách lớn)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Chạy hết các việc đang chờ rồi thoát")
        parser.add_argument("--sleep", type=float, default=1.0, help="Giây chờ giữa hai lần hỏi việc mới")

    def handle(self, *args, **options) -> None:
        try:
            while True:
                if not connection.in_atomic_block:  # inside a test's transaction there is nothing to recycle
                    close_old_connections()
                line = run_next()
                if line is not None:
                    self.stdout.write(f"Việc {line}")
                    continue
                if options["once"]:
                    return
                time.sleep(options["sleep"])
        except KeyboardInterrupt:
            self.stdout.write("Dừng.")
