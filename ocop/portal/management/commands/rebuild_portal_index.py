from django.core.management.base import BaseCommand

from ocop.portal.services.listing import listing_rebuild


class Command(BaseCommand):
    help = "Dựng lại bảng tìm kiếm của cổng thông tin Kết nối OCOP từ sản phẩm và giấy chứng nhận."

    def handle(self, *args, **options):
        rows = listing_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Đã dựng lại chỉ mục cổng thông tin: {rows} sản phẩm."))
