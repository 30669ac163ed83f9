"""`ocop import-products FILE [--dry-run] [--report-json PATH]` (SPEC §5.2, §5.3)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocop.imports.readers import MAX_BYTES
from ocop.imports.services import import_apply

MAX_LISTED = 200


class Command(BaseCommand):
    help = "Nhập danh sách sản phẩm OCOP được công nhận (CSV UTF-8 hoặc XLSX)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Tệp CSV hoặc XLSX")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu gì")
        parser.add_argument("--report-json", metavar="PATH", help="Ghi kết quả dạng JSON vào tệp này")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # a larger file is refused by its size without reading it all
        outcome = import_apply(data=data, file_name=path.name, dry_run=options["dry_run"])
        if options["report_json"]:
            Path(options["report_json"]).write_text(
                json.dumps(outcome.report(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
        out = self.stdout
        out.write(f"Tệp: {path.name} — {outcome.rows} dòng dữ liệu.")
        if outcome.ok:
            verb = "Sẽ tạo" if options["dry_run"] else "Đã tạo"
            out.write(
                f"{verb} {outcome.created_entities} chủ thể, {outcome.created_products} sản phẩm, "
                f"{outcome.events} sự kiện công nhận; {outcome.skipped} sự kiện đã có (bỏ qua)."
            )
            if options["dry_run"]:
                out.write("Chạy thử (--dry-run): không lưu gì.")
            else:
                out.write(self.style.SUCCESS("Nhập thành công."))
            return
        self.stderr.write(f"Tệp bị từ chối: {len(outcome.errors)} lỗi, không lưu gì.")
        for error in outcome.errors[:MAX_LISTED]:
            where = f"Dòng {error.row}" if error.row else "Tệp"
            column = f", cột “{error.column}”" if error.column else ""
            self.stderr.write(f"  {where}{column}: {error.message}")
        if len(outcome.errors) > MAX_LISTED:
            self.stderr.write(f"  … và {len(outcome.errors) - MAX_LISTED} lỗi khác (xem --report-json).")
        raise SystemExit(1)
