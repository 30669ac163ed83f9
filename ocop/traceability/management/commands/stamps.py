"""`ocop stamps issue|activate|void|revoke` (SPEC §5.5)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ocop.products.models import Product
from ocop.traceability import services
from ocop.traceability.choices import StampStatus
from ocop.traceability.issue import site_url, stamp_url
from ocop.traceability.labels import write_labels
from ocop.traceability.models import Batch
from ocop.traceability.selectors import stars_in_force


class Command(BaseCommand):
    help = (
        "Tem điện tử: phát hành (issue), kích hoạt (activate), huỷ (void), thu hồi (revoke) tem của một lô."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="issue|activate|void|revoke")
        issue = sub.add_parser("issue", help="Phát hành N tem cho một lô (tạo lô nếu chưa có).")
        self._target(issue)
        issue.add_argument("--count", type=int, required=True, help="Số tem")
        issue.add_argument("--out", required=True, help="Thư mục ghi codes.csv và labels.pdf")
        issue.add_argument(
            "--inactive",
            action="store_true",
            help="Phát hành ở trạng thái chưa kích hoạt (mặc định: kích hoạt ngay, quét ra 'chính hãng')",
        )
        issue.add_argument("--no-labels", action="store_true", help="Không tạo labels.pdf")
        issue.add_argument("--base-url", default="", help="Địa chỉ trang web in trong mã QR (OCOP_SITE_URL)")
        for name, text in (("activate", "Kích hoạt"), ("void", "Huỷ"), ("revoke", "Thu hồi")):
            p = sub.add_parser(name, help=f"{text} tem của một lô (cả lô hoặc một khoảng số).")
            self._target(p)
            p.add_argument("--serials", default="", help="Khoảng số thứ tự, ví dụ 1-500 (mặc định: cả lô)")

    @staticmethod
    def _target(parser) -> None:
        parser.add_argument("--product-id", type=int, required=True, help="Mã sản phẩm")
        parser.add_argument("--lot", required=True, help="Số lô")

    def handle(self, *args, **options):
        try:
            product = Product.objects.select_related("entity").get(pk=options["product_id"])
        except Product.DoesNotExist as exc:
            raise CommandError(f"Không có sản phẩm mã {options['product_id']}.") from exc
        try:
            if options["action"] == "issue":
                self._issue(product, options)
            else:
                self._set_status(product, options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _issue(self, product: Product, options) -> None:
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        batch, created = services.batch_get_or_create(product=product, lot=options["lot"].strip())
        base = (options["base_url"] or site_url()).rstrip("/")
        started = time.perf_counter()
        with (out / "codes.csv").open("w", newline="", encoding="utf-8") as csv_out:
            issued = services.stamps_issue(
                user=None,
                batch=batch,
                count=options["count"],
                active=not options["inactive"],
                base_url=base,
                csv_out=csv_out,
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{'Đã tạo lô' if created else 'Lô'} {batch.lot}: phát hành {issued.count} tem "
            f"(số {issued.first_serial}–{issued.last_serial}) trong {elapsed:.1f} giây → {out / 'codes.csv'}"
        )
        if options["no_labels"]:
            return
        stamps = batch.stamps.filter(serial__gte=issued.first_serial, serial__lte=issued.last_serial)
        with (out / "labels.pdf").open("wb") as pdf_out:
            write_labels(
                pdf_out,
                (
                    (serial, code, stamp_url(base, code, batch))
                    for serial, code in stamps.order_by("serial").values_list("serial", "code").iterator(5000)
                ),
                product_name=product.name,
                lot=batch.lot,
                stars=stars_in_force(product=product),
            )
        self.stdout.write(f"Tệp in tem: {out / 'labels.pdf'}")

    def _set_status(self, product: Product, options) -> None:
        batch = Batch.objects.filter(product=product, lot=options["lot"].strip()).first()
        if batch is None:
            raise CommandError(f"Sản phẩm {product.pk} không có lô {options['lot']}.")
        serials = None
        if options["serials"]:
            try:
                low, _, high = options["serials"].partition("-")
                serials = (int(low), int(high or low))
            except ValueError as exc:
                raise CommandError("--serials phải có dạng ĐẦU-CUỐI, ví dụ 1-500.") from exc
        status = {
            "activate": StampStatus.ACTIVE,
            "void": StampStatus.VOID,
            "revoke": StampStatus.REVOKED,
        }[options["action"]]
        changed = services.stamps_set_status(user=None, batch=batch, status=status, serials=serials)
        self.stdout.write(f"Lô {batch.lot}: đã {services.ACTION_WORDS[status]} {changed} tem.")
        sys.stdout.flush()
