from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Tạo/cập nhật cơ sở dữ liệu và nạp dữ liệu tham chiếu (đơn vị hành chính, nhóm/bộ sản phẩm). "
        "Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-static", action="store_true", help="Không gom tệp tĩnh (collectstatic).")

    def handle(self, *args, **options):
        started = time.monotonic()
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        call_command("createcachetable", verbosity=0)
        call_command("load_admin_units", verbosity=verbosity)
        call_command("load_product_classifications", verbosity=verbosity)
        call_command("load_criteria", verbosity=verbosity)
        if not options["skip_static"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Khởi tạo xong trong {time.monotonic() - started:.1f} giây."))
