"""`ocop targets set|list|progress` (SPEC §5.2): plan figures per province (or one of its communes or, for
history, districts) and period; progress of each as of any day."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ocop.geography.models import Generation
from ocop.targets.choices import Metric

from ._common import CLI_ACTOR, parse_date, resolve_province


class Command(BaseCommand):
    help = (
        "Chỉ tiêu kế hoạch OCOP của tỉnh (hoặc xã/phường, huyện của tỉnh). `set` đặt (hoặc thay) giá trị của "
        "một chỉ tiêu trong một kỳ; `list` liệt kê; `progress` cho thực hiện tính đến một ngày. Tên có ở cả "
        "hai thế hệ (Thái Nguyên) chỉ tỉnh đang tồn tại vào ngày --deadline (progress: --as-of)."
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{set,list,progress}")
        set_parser = sub.add_parser("set", help="Đặt chỉ tiêu (cùng tỉnh + chỉ tiêu + kỳ: thay giá trị).")
        set_parser.add_argument("--province", required=True)
        set_parser.add_argument("--metric", required=True, help="Một trong: " + ", ".join(Metric.values))
        set_parser.add_argument("--value", required=True)
        set_parser.add_argument("--start", required=True, help="YYYY-MM-DD")
        set_parser.add_argument("--deadline", required=True, help="YYYY-MM-DD")
        set_parser.add_argument("--generation", choices=Generation.values)
        place = set_parser.add_mutually_exclusive_group()
        place.add_argument("--commune", help="Xã/phường của tỉnh (bỏ trống: chỉ tiêu của cả tỉnh)")
        place.add_argument("--district", help="Huyện của tỉnh (kỳ bắt đầu trước 01/07/2025)")
        progress = sub.add_parser("progress", help="Thực hiện các chỉ tiêu của tỉnh và các xã, huyện.")
        progress.add_argument("--province", required=True)
        progress.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD; mặc định hôm nay")
        progress.add_argument("--generation", choices=Generation.values)
        progress.add_argument("--json", action="store_true")
        list_parser = sub.add_parser("list", help="Liệt kê chỉ tiêu (của một tỉnh hoặc tất cả).")
        list_parser.add_argument("--province")
        list_parser.add_argument("--generation", choices=Generation.values)
        list_parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options) -> None:
        if options["action"] == "set":
            self._set(options)
        elif options["action"] == "progress":
            self._progress(options)
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
        unit = self._unit(options, province, start)
        try:
            target, created = target_set(
                user=CLI_ACTOR,
                province=province,
                unit=unit,
                metric=metric,
                value=value,
                start=start,
                deadline=deadline,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        verb = "Đã đặt" if created else "Đã thay"
        self.stdout.write(
            f"{verb} chỉ tiêu {metric} = {value} cho {target.place.name} "
            f"({start.isoformat()} → {deadline.isoformat()})."
        )

    @staticmethod
    def _unit(options, province, start):
        """The commune or district named in the options, looked up in the province (its own generation)."""
        from ocop.geography.lookup_errors import UnitLookupError
        from ocop.geography.resolver import UnitResolver

        if not (options.get("commune") or options.get("district")):
            return None
        resolver = UnitResolver()
        try:
            if options.get("district"):
                return resolver.resolve_district(options["district"], province=province)
            return resolver.resolve_commune(
                options["commune"], province=province, generation=province.generation
            )
        except UnitLookupError as error:
            option = "--district" if options.get("district") else "--commune"
            raise CommandError(f"{option}: {error.message}") from None

    def _progress(self, options) -> None:
        from django.utils import timezone

        from ocop.targets.progress import targets_progress

        from ._common import parse_date

        as_of = parse_date(options["as_of"], "--as-of") if options.get("as_of") else timezone.localdate()
        province = resolve_province(options["province"], on_date=as_of, generation=options.get("generation"))
        rows = [
            {key: row[key] for key in ("unit", "metric", "value", "start", "deadline", "actual", "percent")}
            for row in targets_progress(province, as_of)
        ]
        if options.get("json"):
            self.stdout.write(
                json.dumps(
                    {"province": province.name, "as_of": as_of.isoformat(), "targets": rows},
                    ensure_ascii=False,
                )
            )
            return
        self.stdout.write(f"{province.name} — thực hiện tính đến {as_of.isoformat()}")
        for row in rows:
            self.stdout.write(
                f"  {row['unit']}: {row['metric']} {row['start']}→{row['deadline']}: "
                f"{row['actual']}/{row['value']} ({row['percent']}%)"
            )
        if not rows:
            self.stdout.write("  Chưa có chỉ tiêu nào.")

    def _list(self, options) -> None:
        from django.utils import timezone

        from ocop.targets.models import Target

        qs = Target.objects.select_related("province", "unit").order_by(
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
                "unit": t.place.name,
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
