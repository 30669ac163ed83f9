"""`ocop import-products FILE [--dry-run] [--report-json PATH]` (SPEC §5.2, §5.3)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocop.core.tabular.readers import MAX_BYTES
from ocop.imports.services.importing import import_apply

MAX_LISTED = 200


class Command(BaseCommand):
    help = "Nhập danh sách sản phẩm OCOP được công nhận (CSV, XLSX, XLS hoặc ODS)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Tệp CSV, XLSX, XLS hoặc ODS")
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
            self._warnings(outcome)
            if options["dry_run"]:
                out.write("Chạy thử (--dry-run): không lưu gì.")
            else:
                out.write(self.style.SUCCESS("Nhập thành công."))
            return
        self.stderr.write(f"Tệp bị từ chối: {len(outcome.errors)} lỗi, không lưu gì.")
        for error in outcome.errors[:MAX_LISTED]:
            self.stderr.write(f"  {_where(error)}: {error.text}")
        if len(outcome.errors) > MAX_LISTED:
            self.stderr.write(f"  … và {len(outcome.errors) - MAX_LISTED} lỗi khác (xem --report-json).")
        raise SystemExit(1)

    def _warnings(self, outcome) -> None:
        """Rows taken with a warning (a probable misspelling): listed, the file is not refused for them."""
        if not outcome.warnings:
            return
        self.stdout.write(f"Cảnh báo ({len(outcome.warnings)} dòng, không chặn việc nhập):")
        for warning in outcome.warnings[:MAX_LISTED]:
            self.stdout.write(f"  {_where(warning)}: {warning.text}")
        if len(outcome.warnings) > MAX_LISTED:
            self.stdout.write(
                f"  … và {len(outcome.warnings) - MAX_LISTED} cảnh báo khác (xem --report-json)."
            )


def _where(message) -> str:
    where = f"Dòng {message.row}" if message.row else "Tệp"
    return where + (f", cột “{message.column}”" if message.column else "")
