from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ocop.core.demo import DEMO_PASSWORD, ensure_demo_users, load_demo_producers
from ocop.geography.models import AdminUnit


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (chủ thể, sản phẩm OCOP Bắc Kạn đã công bố) và tạo tài khoản mẫu cho từng vai trò."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["province"],
            default="province",
            help="Quy mô dữ liệu mẫu (hiện có: province — Bắc Kạn).",
        )

    def handle(self, *args, **options):
        if not AdminUnit.objects.exists():
            raise CommandError("Chưa có dữ liệu đơn vị hành chính: hãy chạy `ocop init` trước.")
        entities, products = load_demo_producers()
        accounts = ensure_demo_users()
        self.stdout.write(f"Dữ liệu mẫu: thêm {entities} chủ thể, {products} sản phẩm.")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for account in accounts:
            scope = f" — {account.scope}" if account.scope else ""
            self.stdout.write(f"  {account.username:<8} {account.role}{scope}")
