from __future__ import annotations

from django.core.management.base import BaseCommand

from ocop.products.loader import load_product_classifications


class Command(BaseCommand):
    help = (
        "Nạp/cập nhật danh mục nhóm và bộ sản phẩm OCOP (QĐ 148/QĐ-TTg 2023 và QĐ 1048/QĐ-TTg 2019). "
        "Chạy lại không thay đổi gì."
    )

    def handle(self, *args, **options):
        stats = load_product_classifications()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Danh mục sản phẩm: {stats['classifications']} phiên bản, {stats['groups']} nhóm, "
                f"{stats['sets']} bộ sản phẩm (thêm mới {stats['created']}, cập nhật {stats['updated']})."
            )
