"""`ocop targets set|list` (SPEC §5.2): plan figures per province and period."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ocop.geography.models import Generation
from ocop.targets.choices import Metric

from ._common import CLI_ACTOR, parse_date, resolve_province


class Command(BaseCommand):
    help = (
        "Chỉ tiêu kế hoạch OCOP của tỉnh. `set` đặt (hoặc thay) giá trị của một chỉ tiêu trong một kỳ; "
        "`list` liệt kê. Tên có ở cả hai thế hệ (Thái Nguyên) chỉ tỉnh đang tồn tại vào ngày --deadline."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{set,list}")
        set_parser = sub.add_parser("set", help="Đặt chỉ tiêu (cùng tỉnh + chỉ tiêu + kỳ: thay giá trị).")
        set_parser.add_argument("--province", required=True)
        set_parser.add_argument("--metric", required=True, help="Một trong: " + ", ".join(Metric.values))
        set_parser.add_argument("--value", required=True)
        set_parser.add_argument("--start", required=True, help="YYYY-MM-DD")
        set_parser.add_argument("--deadline", required=True, help="YYYY-MM-DD")
        set_parser.add_argument("--generation", choices=Generation.values)
        list_parser = sub.add_parser("list", help="Liệt kê chỉ tiêu (của một tỉnh hoặc tất cả).")
        list_parser.add_argument("--province")
        list_parser.add_argument("--generation", choices=Generation.values)
        list_parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        if options["action"] == "set":
            self._set(options)
        else:
            self._list(options)

    def _set(self, options) -> None:
        from ocop.targets.services import target_set

        metric = options["metric"].strip()
        if metric not in Metric.values:
            raise CommandError(
                f"--metric: chỉ tiêu “{metric}” không có; chọn một trong: {', '.join(Metric.values)}."
            )
        try:
            value = int(str(options["value"]).strip())
        except ValueError:
            raise CommandError(f"--value: “{options['value']}” không phải số nguyên.") from None
        if value <= 0:
            raise CommandError(f"--value: giá trị kế hoạch phải là số dương (nhận được {value}).")
        start = parse_date(options["start"], "--start")
        deadline = parse_date(options["deadline"], "--deadline")
        if deadline < start:
            raise CommandError(f"--deadline {deadline.isoformat()} trước --start {start.isoformat()}.")
        province = resolve_province(options["province"], on_date=deadline, generation=options["generation"])
        try:
            target, created = target_set(
                user=CLI_ACTOR, province=province, metric=metric, value=value, start=start, deadline=deadline
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        verb = "Đã đặt" if created else "Đã thay"
        self.stdout.write(
            f"{verb} chỉ tiêu {metric} = {value} cho {province.name} "
            f"({start.isoformat()} → {deadline.isoformat()})."
        )

    def _list(self, options) -> None:
        from django.utils import timezone

        from ocop.targets.models import Target

        qs = Target.objects.select_related("province").order_by(
            "province__name", "start", "deadline", "metric"
        )
        if options.get("province"):
            province = resolve_province(
                options["province"], on_date=timezone.localdate(), generation=options.get("generation")
            )
            qs = qs.filter(province=province)
        rows = [
            {
                "province": t.province.name,
                "metric": t.metric,
                "value": t.value,
                "start": t.start.isoformat(),
                "deadline": t.deadline.isoformat(),
            }
            for t in qs
        ]
        if options.get("json"):
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(
                f"{row['province']}\t{row['metric']}\t{row['value']}\t{row['start']}\t{row['deadline']}"
            )
        if not rows:
            self.stdout.write("Chưa có chỉ tiêu nào.")
