from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from ocop.core.backup import backup


class Command(BaseCommand):
    help = "Sao lưu toàn bộ dữ liệu và tệp đính kèm vào một tệp .tar.gz (kèm manifest, tổng kiểm tra)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Thư mục ghi tệp sao lưu")

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = backup(Path(options["out"]))
        rows = sum(result.counts.values())
        self.stdout.write(
            f"Đã sao lưu {rows} bản ghi ({len(result.counts)} bảng), {result.media_files} tệp đính kèm "
            f"vào {result.path} ({result.path.stat().st_size / 1e6:.1f} MB, "
            f"{time.perf_counter() - started:.1f} s). SHA-256 dữ liệu: {result.sha256}"
        )
