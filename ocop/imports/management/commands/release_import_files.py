from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ocop.imports.services.retention import KEEP_DAYS, import_files_release


class Command(BaseCommand):
    help = (
        "Việc hằng ngày: xoá nội dung tệp danh sách đã kiểm tra hoặc bị từ chối mà quá số ngày giữ "
        "(mặc định 30) chưa nhập; kết quả kiểm tra và danh sách lỗi vẫn giữ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=KEEP_DAYS, help="Số ngày giữ tệp (mặc định 30).")

    def handle(self, *args, **options):
        try:
            released = import_files_release(keep_days=options["days"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã xoá nội dung {released} tệp danh sách quá {options['days']} ngày.")
