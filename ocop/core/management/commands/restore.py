from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocop.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Khôi phục một bản sao lưu của `ocop backup` vào CSDL trống (tạo bảng, nạp dữ liệu, tệp đính kèm)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp .tar.gz do `ocop backup` tạo")
        parser.add_argument("--force", action="store_true", help="Thay mọi dữ liệu của CSDL đích")

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            result = restore(Path(options["archive"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result["counts"].values())
        self.stdout.write(
            f"Đã khôi phục {rows} bản ghi, {result['media_files']} tệp đính kèm "
            f"({time.perf_counter() - started:.1f} s); tổng kiểm tra khớp: {result['sha256']}"
        )
