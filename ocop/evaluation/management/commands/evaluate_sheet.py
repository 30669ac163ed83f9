"""`ocop evaluate-sheet --set N --json FILE` (SPEC §5.6): a council's result as JSON; stores nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ocop.evaluation.criteria import SET_NUMBERS, load_sheet
from ocop.evaluation.scoring import Result, council_result


def result_json(result: Result) -> str:
    """The SPEC §5.6 object, keys in contract order, averages as JSON numbers with 2 decimals."""

    def number(value: Decimal) -> str:
        return f"{value:.2f}"

    parts = ", ".join(f"{json.dumps(letter)}: {number(value)}" for letter, value in result.parts.items())
    fields = [
        ("average", number(result.average)),
        ("parts", "{" + parts + "}"),
        ("band_stars", str(result.band_stars)),
        ("stars", str(result.stars)),
        ("held_back_by", json.dumps(result.held_back_by, ensure_ascii=False)),
        ("spread_blocked", json.dumps(result.spread_blocked)),
    ]
    return "{" + ", ".join(f"{json.dumps(key)}: {value}" for key, value in fields) + "}"


def read_members(path: Path, set_number: int) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CommandError(f"Không tìm thấy tệp {path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"Tệp {path} không phải JSON hợp lệ: {exc}") from exc
    if not isinstance(data, dict):
        raise CommandError('Tệp JSON phải là một đối tượng {"set": N, "members": [...]}')
    if "set" in data and (isinstance(data["set"], bool) or data["set"] != set_number):
        raise CommandError(f"Bộ tiêu chí trong tệp ({data['set']!r}) khác với --set {set_number}")
    members = data.get("members")
    if not isinstance(members, list) or not members:
        raise CommandError('Thiếu phiếu chấm: "members" phải là danh sách có ít nhất một thành viên')
    for index, member in enumerate(members, start=1):
        if not isinstance(member, dict):
            raise CommandError(f"Phiếu của thành viên {index} phải là đối tượng mã tiêu chí → số phương án")
    return members


class Command(BaseCommand):
    help = (
        "Tính kết quả chấm điểm của hội đồng cho một bộ tiêu chí (QĐ 148/QĐ-TTg) từ tệp JSON "
        '{"set": N, "members": [{"A1.a": 3, ...}, ...]}; in kết quả dạng JSON, không lưu gì.'
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--set", type=int, required=True, dest="set_number", help="Số bộ sản phẩm 1–26")
        parser.add_argument("--json", required=True, dest="json_file", help="Tệp JSON phiếu chấm")

    def handle(self, *args, set_number: int, json_file: str, **options):
        if set_number not in SET_NUMBERS:
            raise CommandError(f"Không có bộ sản phẩm số {set_number} (chỉ có 1–26)")
        members = read_members(Path(json_file), set_number)
        sheet = load_sheet(set_number)
        try:
            result = council_result(sheet, members)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if sheet.needs_review:
            self.stderr.write(
                f"Cảnh báo: bộ tiêu chí số {set_number} cần rà soát: "
                + "; ".join(str(w) for w in sheet.warnings if w.review)
            )
        self.stdout.write(result_json(result))
