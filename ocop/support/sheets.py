"""XLSX/CSV import of support records: all or nothing.

The file goes through the shared reader (``ocop.core.tabular``: size, zip-bomb and row checks, calamine); the
header row is found by the kind's column names (``header_key``: compared folded); each row becomes a
record validated exactly as the form would (services.record_build). Any error — with its sheet row,
column and a Vietnamese message — and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ocop.core.audit import audit_create
from ocop.core.errors import ScopeError
from ocop.core.scoping import CHANGE
from ocop.core.tabular.cells import parse_date, text
from ocop.core.tabular.headers import header_key
from ocop.core.tabular.readers import FileRefused, read_table
from ocop.core.text import fold, is_ascii_digits
from ocop.geography.selectors import commune_choices_for
from ocop.producers.models import Entity
from ocop.products.models import Product

from .kinds import Kind
from .services import record_build

FAR_FUTURE = dt.date(2100, 12, 31)
TRUE_WORDS = {"co", "x", "1", "true", "yes", "dung"}
FALSE_WORDS = {"", "khong", "0", "false", "no", "sai"}


@dataclass
class Outcome:
    stored: int = 0
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Lookups:
    """Names of entities, products and communes in the user's scope, folded, for resolving cells."""

    def __init__(self, user) -> None:
        self.user = user
        self._cache: dict[str, dict[str, list[int]]] = {}

    def _index(self, what: str) -> dict[str, list]:
        if what not in self._cache:
            index: dict[str, list] = {}
            if what == "entity":
                for obj in Entity.objects.for_user(self.user).only("id", "name", "tax_code"):
                    index.setdefault(fold(obj.name), []).append(obj)
                    if obj.tax_code:
                        index.setdefault(obj.tax_code.lower(), []).append(obj)
            elif what == "product":
                for obj in Product.objects.for_user(self.user).only("id", "name"):
                    index.setdefault(fold(obj.name), []).append(obj)
            else:
                unit = None if self.user.is_admin_role else self.user.unit
                for obj in commune_choices_for(unit):
                    index.setdefault(fold(obj.name), []).append(obj)
                    index.setdefault(fold(obj.short_name), []).append(obj)
            self._cache[what] = index
        return self._cache[what]

    def find(self, what: str, raw: str):
        found = {o.pk: o for o in self._index(what).get(fold(raw), [])}
        label = {"entity": "Chủ thể", "product": "Sản phẩm", "commune": "Xã/phường"}[what]
        if not found:
            raise ValueError(f"{label} “{raw}” không có trong phạm vi của bạn.")
        if len(found) > 1:
            raise ValueError(f"{label} “{raw}” trùng tên với {len(found)} bản ghi; hãy ghi rõ hơn.")
        return next(iter(found.values()))


def _choice(kind: Kind, field_name: str, raw: str) -> str:
    choices = kind.model._meta.get_field(field_name).choices
    wanted = fold(raw)
    for value, label in choices:
        if wanted in {fold(value), fold(label)}:
            return value
    allowed = ", ".join(label for _v, label in choices)
    raise ValueError(f"Giá trị “{raw}” không hợp lệ; chọn một trong: {allowed}.")


def _parse(kind: Kind, parser: str, field_name: str, value: object, lookups: _Lookups):
    raw = text(value)
    if parser in {"date", "future_date"}:
        return parse_date(value, today=FAR_FUTURE if parser == "future_date" else None)
    if parser == "bool":
        folded = fold(raw)
        if folded in TRUE_WORDS:
            return True
        if folded in FALSE_WORDS:
            return False
        raise ValueError(f"“{raw}” không phải Có/Không.")
    if not raw:
        return None
    if parser == "text":
        return raw
    if parser == "choice":
        return _choice(kind, field_name, raw)
    if parser in {"entity", "product", "commune"}:
        return lookups.find(parser, raw)
    if parser == "products":  # several product names separated by ";"
        return [lookups.find("product", name.strip()) for name in raw.split(";") if name.strip()]
    number = raw.replace(" ", "")
    if parser == "int":
        if isinstance(value, int | float) and float(value).is_integer():
            return int(value)
        if is_ascii_digits(number.replace(".", "")):
            return int(number.replace(".", ""))
        raise ValueError(f"“{raw}” không phải số nguyên.")
    try:
        source = str(value) if isinstance(value, int | float) else number.replace(",", ".")
        result = Decimal(source)
    except InvalidOperation as exc:
        raise ValueError(f"“{raw}” không phải số.") from exc
    return float(result) if parser == "float" else result


def _header(rows: list[list[object]], specs) -> tuple[int, dict[int, tuple[str, str, str]]] | None:
    wanted = {header_key(spec[0]): spec for spec in specs}
    for index, row in enumerate(rows[:30]):
        found = {i: wanted[header_key(cell)] for i, cell in enumerate(row) if header_key(cell) in wanted}
        if len(found) >= max(2, len(wanted) // 2):
            return index, found
    return None


def _message(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(name, " ".join(m for m in messages)) for name, messages in exc.message_dict.items()]
    return [("", " ".join(exc.messages))]


def _rows_below_header(
    *, data: bytes, file_name: str, specs, outcome: Outcome, every_column: bool = False
) -> tuple[dict[int, tuple[str, str, str]], list[tuple[int, list[object]]]] | None:
    """The columns found ({index: spec}) and the non-blank rows below the header as (sheet row number, row);
    None, with the file's error in ``outcome``, when the file is refused or has no header (``every_column``:
    the header must name every column of ``specs``)."""
    try:
        sheet = read_table(data, file_name)
    except FileRefused as exc:
        outcome.errors.append({"row": None, "column": "", "message": exc.message})
        return None
    found = _header(sheet.rows, specs)
    if found is None or (every_column and len(found[1]) < len(specs)):
        names = ", ".join(spec[0] for spec in specs)
        outcome.errors.append(
            {"row": None, "column": "", "message": f"Không tìm thấy dòng tiêu đề; cần các cột: {names}."}
        )
        return None
    header_index, columns = found
    rows = [
        (sheet.first_row + offset, row)
        for offset, row in enumerate(sheet.rows[header_index + 1 :], start=header_index + 1)
        if any(text(cell) for cell in row)
    ]
    return columns, rows


def import_records(*, user, kind: Kind, data: bytes, file_name: str = "") -> Outcome:
    outcome = Outcome()
    table = _rows_below_header(data=data, file_name=file_name, specs=kind.imports, outcome=outcome)
    if table is None:
        return outcome
    columns, rows = table
    label_of = {spec[1]: spec[0] for spec in kind.imports}
    lookups = _Lookups(user)
    records = []
    for sheet_row, row in rows:
        values: dict[str, object] = {}
        row_ok = True
        for index, (label, field_name, parser) in columns.items():
            cell = row[index] if index < len(row) else None
            try:
                parsed = _parse(kind, parser, field_name, cell, lookups)
            except ValueError as exc:
                outcome.errors.append({"row": sheet_row, "column": label, "message": str(exc)})
                row_ok = False
                continue
            if parsed is not None:
                values[field_name] = parsed
        if not row_ok:
            continue
        try:
            record = record_build(user=user, kind=kind, data=values)
            records.append((record, {k: v for k, v in values.items() if k in kind.m2m}))
        except ValidationError as exc:
            for name, message in _message(exc):
                outcome.errors.append(
                    {"row": sheet_row, "column": label_of.get(name, ""), "message": message}
                )
        except ScopeError as exc:
            outcome.errors.append({"row": sheet_row, "column": "", "message": str(exc)})
    if not records and not outcome.errors:
        outcome.errors.append({"row": None, "column": "", "message": "Tệp không có dòng dữ liệu nào."})
    if outcome.errors:
        return outcome
    try:
        with transaction.atomic():
            for record, m2m in records:
                record.save()
                for name, related in m2m.items():
                    getattr(record, name).set(related)
                audit_create(user=user, instance=record)
    except IntegrityError:
        message = "Tệp có hai dòng trùng nhau (cùng chủ thể và năm); không có gì được lưu."
        outcome.errors.append({"row": None, "column": "", "message": message})
        return outcome
    outcome.stored = len(records)
    return outcome


PARTICIPANT_COLUMNS = (("Chủ thể", "entity", "entity"), ("Doanh thu (đồng)", "sales_vnd", "int"))


def import_participants(*, user, fair, data: bytes, file_name: str = "") -> Outcome:
    """Entities taking part in a fair with their sales, from a sheet (Chủ thể, Doanh thu (đồng)): all or
    nothing; an entity already listed (in the fair or earlier in the file) is a row error."""
    from ocop.accounts.roles import keeps_records

    from .models import FairParticipation, TradeFair

    if not keeps_records(user) or not TradeFair.objects.for_user(user, CHANGE).filter(pk=fair.pk).exists():
        raise ScopeError("Không tìm thấy hội chợ trong phạm vi của bạn.")
    outcome = Outcome()
    table = _rows_below_header(
        data=data, file_name=file_name, specs=PARTICIPANT_COLUMNS, outcome=outcome, every_column=True
    )
    if table is None:
        return outcome
    columns, rows = table
    lookups = _Lookups(user)
    seen = set(FairParticipation.objects.filter(fair=fair).values_list("entity_id", flat=True))
    records = []
    for sheet_row, row in rows:
        values: dict[str, object] = {}
        for index, (label, field_name, parser) in columns.items():
            cell = row[index] if index < len(row) else None
            try:
                values[field_name] = _parse(None, parser, field_name, cell, lookups)
            except ValueError as exc:
                outcome.errors.append({"row": sheet_row, "column": label, "message": str(exc)})
        entity = values.get("entity")
        if entity is None:
            if "entity" in values:
                outcome.errors.append(
                    {"row": sheet_row, "column": "Chủ thể", "message": "Thiếu tên chủ thể."}
                )
            continue
        if entity.pk in seen:
            message = f"{entity.name} đã có trong danh sách tham gia hội chợ."
            outcome.errors.append({"row": sheet_row, "column": "Chủ thể", "message": message})
            continue
        seen.add(entity.pk)
        sales = values.get("sales_vnd") or 0
        if sales < 0:
            outcome.errors.append(
                {"row": sheet_row, "column": "Doanh thu (đồng)", "message": "Doanh thu không âm."}
            )
            continue
        records.append(FairParticipation(fair=fair, entity=entity, sales_vnd=sales))
    if not records and not outcome.errors:
        outcome.errors.append({"row": None, "column": "", "message": "Tệp không có dòng dữ liệu nào."})
    if outcome.errors:
        return outcome
    with transaction.atomic():
        for record in records:
            record.save()
            audit_create(user=user, instance=record)
    outcome.stored = len(records)
    return outcome
