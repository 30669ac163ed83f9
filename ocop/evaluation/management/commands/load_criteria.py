"""`load_criteria`: store the 26 shipped score sheets (idempotent), or a corrected sheet as a new revision."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ocop.evaluation.criteria import DEFAULT_VERSION, SET_NUMBERS, VERSIONS
from ocop.evaluation.services.criteria import criteria_load_shipped, criteria_version_load


class Command(BaseCommand):
    help = (
        "Nạp 26 phiếu đánh giá của QĐ 148/QĐ-TTg thành các phiên bản bộ tiêu chí "
        "(chạy lại không thay đổi gì). "
        "Với --set N --file TỆP: nạp bản đã sửa của một bộ thành phiên bản mới và áp dụng nó."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set", type=int, dest="set_number", help="Số bộ sản phẩm 1–26")
        parser.add_argument(
            "--file", dest="file", help="Tệp CSV đã sửa (cột title, description, level, stars, score)"
        )
        parser.add_argument(
            "--legal-version", default=DEFAULT_VERSION, choices=sorted(VERSIONS), help="Văn bản áp dụng"
        )

    def handle(self, *args, set_number=None, file=None, legal_version=DEFAULT_VERSION, **options):
        verbosity = options["verbosity"]
        if file:
            if set_number is None:
                raise CommandError("Cần --set N khi nạp --file.")
            path = Path(file)
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Không đọc được tệp {path}: {exc}") from exc
            try:
                version, created = criteria_version_load(
                    set_number=set_number,
                    source_text=text,
                    source_name=path.name,
                    legal_version=legal_version,
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self._report(version, created, verbosity)
            return
        if legal_version != DEFAULT_VERSION:
            raise CommandError(
                f"Chỉ có phiếu gốc của {DEFAULT_VERSION}; phiếu {legal_version} cần --set và --file."
            )
        numbers = [set_number] if set_number else list(SET_NUMBERS)
        created_count = 0
        for number in numbers:
            if number not in SET_NUMBERS:
                raise CommandError(f"Không có bộ sản phẩm số {number} (chỉ có 1–26)")
            version, created = criteria_load_shipped(set_number=number)
            created_count += created
            if verbosity >= 2 or (created and version.needs_review and verbosity >= 1):
                self._report(version, created, verbosity)
        if verbosity >= 1:
            self.stdout.write(
                f"Bộ tiêu chí: {created_count} phiên bản mới, {len(numbers) - created_count} đã có."
            )

    def _report(self, version, created, verbosity):
        if verbosity < 1:
            return
        state = "nạp mới" if created else "đã có"
        line = f"{version} ({state})"
        if version.needs_review:
            line += " — CẦN RÀ SOÁT"
        self.stdout.write(line)
