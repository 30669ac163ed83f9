from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ocop.geography.loader import load_admin_units


class Command(BaseCommand):
    help = (
        "Nạp/cập nhật đơn vị hành chính hai thế hệ (trước và từ 01/07/2025) cùng bảng sáp nhập "
        "từ gói vietnamadminunits. Chạy lại không thay đổi gì."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        verbose = options["verbosity"] >= 2
        counts = load_admin_units(stdout=self.stdout if verbose else None)
        if options["verbosity"] < 1:
            return
        changes = (
            f"thêm {counts['created']}, sửa {counts['updated']} đơn vị; "
            f"thêm {counts['successions_created']}, sửa {counts['successions_updated']}, "
            f"xoá {counts['successions_deleted']} dòng sáp nhập"
        )
        unmapped = f"; {counts['unmapped']} xã chưa có đơn vị kế thừa" if counts["unmapped"] else ""
        self.stdout.write(
            f"Đơn vị hành chính: trước 01/07/2025 {counts['provinces_2019']} tỉnh, "
            f"{counts['districts_2019']} huyện, {counts['communes_2019']} xã; "
            f"từ 01/07/2025 {counts['provinces_2025']} tỉnh, {counts['communes_2025']} xã; "
            f"{counts['successions']} dòng sáp nhập{unmapped} "
            f"({changes}; {time.monotonic() - started:.1f} giây)."
        )
