"""`ocop stats --province P --as-of YYYY-MM-DD --json` (SPEC §5.2): one JSON object on stdout."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from ocop.geography.models import Generation

from ._common import parse_date, resolve_province


class Command(BaseCommand):
    help = (
        "Thống kê OCOP của một tỉnh tại một ngày (định nghĩa: SPEC §3). Tên tỉnh ghi có/không “Tỉnh”, "
        "có/không dấu; tên có ở cả hai thế hệ (Thái Nguyên) chỉ tỉnh đang tồn tại vào ngày --as-of."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--province", required=True, help="Tên tỉnh/thành phố, ví dụ “Bắc Kạn”, “thai nguyen”."
        )
        parser.add_argument("--as-of", dest="as_of", help="Ngày tính (YYYY-MM-DD); mặc định hôm nay.")
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON (hợp đồng SPEC §5.2).")
        parser.add_argument(
            "--generation",
            choices=Generation.values,
            help="Buộc thế hệ đơn vị: 2019 (trước 01/07/2025) hoặc 2025.",
        )

    def handle(self, *args, **options) -> None:
        from ocop.targets.selectors import unit_stats

        as_of = parse_date(options["as_of"], "--as-of") if options["as_of"] else timezone.localdate()
        province = resolve_province(options["province"], on_date=as_of, generation=options["generation"])
        stats = unit_stats(province, as_of)
        if options["json"]:
            self.stdout.write(json.dumps(stats, ensure_ascii=False))
            return
        self.stdout.write(self._text(stats))

    @staticmethod
    def _text(stats: dict) -> str:
        lines = [f"{stats['province']} — tính đến {stats['as_of']}"]
        for key, value in stats.items():
            if key in {"province", "as_of", "by_year", "targets"}:
                continue
            lines.append(f"  {key}: {value}")
        for year, kinds in stats["by_year"].items():
            lines.append(f"  {year}: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
        for target in stats["targets"]:
            lines.append(
                f"  chỉ tiêu {target['metric']} {target['start']}→{target['deadline']}: "
                f"{target['actual']}/{target['value']} ({target['percent']}%)"
            )
        return "\n".join(lines)
