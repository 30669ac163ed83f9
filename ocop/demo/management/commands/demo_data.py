from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocop.demo.province import DEMO_PASSWORD, DEMO_TOTP_SECRET, ensure_demo_users, load_demo_producers
from ocop.geography.models import AdminUnit, Generation


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (chủ thể, sản phẩm OCOP Bắc Kạn đã công bố) và tạo tài khoản mẫu cho từng vai trò. "
        "--scale national: dữ liệu tổng hợp cả nước (34 tỉnh, mặc định 10.000 chủ thể, 20.000 sản phẩm)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["province", "national"],
            default="province",
            help="Quy mô dữ liệu mẫu: province — Bắc Kạn (dữ liệu thật); national — cả nước (tổng hợp).",
        )
        parser.add_argument("--products", type=int, default=20_000, help="(national) số sản phẩm")
        parser.add_argument("--entities", type=int, default=None, help="(national) số chủ thể (mặc định ½)")
        parser.add_argument("--seed", type=int, default=None, help="(national) hạt giống ngẫu nhiên")
        parser.add_argument("--stamps", type=int, default=0, help="(national) số tem điện tử (vd. 1000000)")
        parser.add_argument("--scans", type=int, default=0, help="(national) số lượt quét tem (vd. 10000000)")
        parser.add_argument(
            "--history-file",
            metavar="PATH",
            help="(national) chỉ ghi danh sách lịch sử công nhận cả nước ra tệp CSV này (mặc định 36.000 "
            "dòng, hoặc theo --products), không nạp vào CSDL",
        )

    def handle(self, *args, **options):
        if not AdminUnit.objects.exists():
            raise CommandError("Chưa có dữ liệu đơn vị hành chính: hãy chạy `ocop init` trước.")
        if options["history_file"]:
            self._history_file(options)
            return
        if options["scale"] == "national":
            self._national(options)
        else:
            entities, products = load_demo_producers()
            self.stdout.write(f"Dữ liệu mẫu: thêm {entities} chủ thể, {products} sản phẩm.")
        accounts = ensure_demo_users()
        if options["scale"] != "national":
            from ocop.accounts.models import User
            from ocop.demo.programme import load_demo_programme

            added = load_demo_programme(officer=User.objects.get(username="tinh"))
            if added:
                self.stdout.write(f"Ý tưởng, kế hoạch kiểm tra, chính sách hỗ trợ mẫu: thêm {added} bản ghi.")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for account in accounts:
            scope = f" — {account.scope}" if account.scope else ""
            self.stdout.write(f"  {account.username:<8} {account.role}{scope}")
        self.stdout.write(
            f"Cán bộ, quản trị cần mã xác thực hai bước: thêm khoá {DEMO_TOTP_SECRET} vào ứng dụng xác thực "
            "(chỉ dùng cho dữ liệu mẫu)."
        )

    def _history_file(self, options) -> None:
        from ocop.demo.national import DEFAULT_SEED, national_history

        products = options["products"] if options["products"] != 20_000 else None
        history = national_history(
            products=products,
            entities=options["entities"],
            seed=DEFAULT_SEED if options["seed"] is None else options["seed"],
        )
        path = Path(options["history_file"])
        path.write_bytes(history.csv_bytes())
        self.stdout.write(
            f"Danh sách lịch sử cả nước: {len(history.rows)} dòng, {len(history.products)} sản phẩm, "
            f"{history.entities} chủ thể, {len(history.provinces(Generation.LEGACY))} tỉnh cũ và "
            f"{len(history.provinces(Generation.REFORM_2025))} tỉnh mới → {path}."
        )

    def _national(self, options) -> None:
        from ocop.demo.national import DEFAULT_SEED, generate_national

        if options["products"] < 1:
            raise CommandError("--products phải lớn hơn 0.")
        started = time.perf_counter()
        try:
            result = generate_national(
                products=options["products"],
                entities=options["entities"],
                seed=DEFAULT_SEED if options["seed"] is None else options["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Dữ liệu quốc gia: {result.provinces} tỉnh, {result.entities} chủ thể, "
            f"{result.products} sản phẩm, "
            f"{result.events} quyết định, {result.certificates} giấy chứng nhận, {result.listed} sản phẩm "
            f"trên cổng thông tin, {result.warnings} cảnh báo khi nhập "
            f"({time.perf_counter() - started:.1f} s)."
        )
        if options["stamps"] > 0:
            from ocop.demo.stamps import generate_stamps

            started = time.perf_counter()
            stamps = generate_stamps(
                stamps=options["stamps"],
                scans=options["scans"],
                seed=DEFAULT_SEED if options["seed"] is None else options["seed"],
            )
            self.stdout.write(
                f"Tem điện tử: {stamps.batches} lô, {stamps.stamps} tem, {stamps.scans} lượt quét "
                f"({time.perf_counter() - started:.1f} s)."
            )
