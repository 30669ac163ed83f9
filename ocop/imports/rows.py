"""From sheet rows to parsed event rows: header mapping, skipped rows, per-cell parsing and unit lookup.

Nothing here writes; unit lookups go through one cached UnitResolver (one query per province touched).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ocop.certification.choices import EventKind
from ocop.certification.history import BANDS, score_in_band
from ocop.geography.models import AdminUnit, Generation
from ocop.geography.resolver import REFORM_DATE, UnitLookupError, UnitResolver
from ocop.products.loader import group_code_for

from . import headers as H
from . import values as V
from .headers import Header
from .readers import Sheet

MAX_NAME = 255
PREVIEW_ROWS = 10
_COLUMN_NUMBER = re.compile(r"^\(?\s*\d{1,2}\s*\)?$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    value: str = ""  # the cell as read, shown in the web error table (not part of the CLI report)

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class EventRow:
    order: int  # position in the file
    row: int  # sheet row number
    product_name: str = ""
    entity_name: str = ""
    entity_type: str = ""
    tax_code: str = ""
    group_code: str = ""
    stars: int | None = None
    score: Decimal | None = None
    decision_number: str = ""
    decision_date: dt.date | None = None
    kind: str | None = None
    commune: AdminUnit | None = None
    ok: bool = True


@dataclass
class ParsedSheet:
    header: Header
    header_row: int  # sheet row number of the header
    rows: list[EventRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)

    def label(self, column: str) -> str:
        """The header text as written in the file, or the canonical name of a column it lacks."""
        return self.header.labels.get(column, column)


def _group_code(value: object) -> str:
    group_text = V.text(value)
    if not group_text:
        return ""
    code = group_code_for(group_text)
    if not code:
        raise ValueError(f"Không nhận ra nhóm sản phẩm “{V.shown(group_text)}” (ghi tên nhóm hoặc mã I–VI).")
    return code


def _is_blank(cells: dict[str, object]) -> bool:
    return all(V.text(cells.get(name)) == "" for name in (H.PRODUCT, H.ENTITY, H.STARS, H.DECISION_DATE))


def _is_filler(row: list[object], header: Header, product: str) -> bool:
    """A repeated header (page break) or the "(1) (2) (3)…" column-number row of official tables.
    Only rows whose product cell looks like one of those are examined further."""
    if _COLUMN_NUMBER.match(product):
        texts = [t for t in (V.text(cell) for cell in row) if t]
        return len(texts) >= 3 and all(_COLUMN_NUMBER.match(t) for t in texts)
    if H.may_name_product(product) and H.canonical_for(product) == H.PRODUCT:
        repeated = H.match_row(row)
        return len(repeated.columns) >= 3 and repeated.columns == header.columns
    return False


class _ParsedCells(dict):
    """(cell type, cell value, *extra) → (parsed value, error message or None), parsed on first lookup.
    The type is part of the key: 1, 1.0 and True are equal dict keys but different cells."""

    def __init__(self, parser: Callable) -> None:
        super().__init__()
        self.parser = parser

    def __missing__(self, key: tuple) -> tuple:
        try:
            found = (self.parser(*key[1:]), None)
        except ValueError as exc:
            found = (None, str(exc))
        self[key] = found
        return found


class RowParser:
    """Parses the data rows of a sheet; ``scope`` (commune ids) limits which communes a user may import."""

    def __init__(
        self,
        *,
        resolver: UnitResolver | None = None,
        default_province: AdminUnit | None = None,
        scope: set[int] | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.resolver = resolver or UnitResolver()
        self.default_province = default_province
        self.scope = scope
        self.today = today or dt.date.today()
        # Lists repeat the same cells thousands of times: each distinct cell (or group of cells) is parsed
        # once. Values are (result, error message or None).
        self._memo: dict[tuple, tuple] = {}
        self._columns: dict[str, _ParsedCells] = {}  # the same per column of simple cells

    def parse(
        self, sheet: Sheet, progress: Callable[[int, int], None] | None = None
    ) -> ParsedSheet | RowError:
        header = H.find_header(sheet.rows)
        if header is None:
            return RowError(
                0,
                "",
                "Không tìm thấy dòng tiêu đề (cần ít nhất các cột Tên sản phẩm, Chủ thể, "
                "Xã, Hạng sao, Ngày quyết định).",
            )
        header_row = sheet.first_row + header.row_index
        if header.missing:
            return RowError(
                header_row, ", ".join(header.missing), "Thiếu cột: " + ", ".join(header.missing) + "."
            )
        parsed = ParsedSheet(header=header, header_row=header_row)
        data = sheet.rows[header.row_index + 1 :]
        total = len(data)
        columns = list(header.columns.items())
        text = V.text
        kept: list[tuple[int, dict[str, object], str, str]] = []  # (offset, cells, product, entity)
        for offset, raw in enumerate(data, start=1):
            if progress and offset % 500 == 0:
                progress(offset, total)
            length = len(raw)
            cells = {name: (raw[index] if index < length else "") for name, index in columns}
            product = text(cells.get(H.PRODUCT))
            entity = text(cells.get(H.ENTITY))
            if not product and not entity and _is_blank(cells):
                continue
            if _is_filler(raw, header, product):
                continue
            kept.append((offset, cells, product, entity))
        # The simple cells column by column: each distinct cell is parsed once (the lookups run in C).
        entity_names = [entity for _offset, _cells, _product, entity in kept]
        simple = zip(
            self._column(kept, H.ENTITY_TYPE, V.parse_entity_type, entity_names),
            self._column(kept, H.TAX_CODE, V.parse_tax_code),
            self._column(kept, H.GROUP, _group_code),
            self._column(kept, H.KIND, V.parse_kind),
            self._column(kept, H.STARS, V.parse_stars),
            self._column(kept, H.SCORE, V.parse_score),
            self._column(kept, H.DECISION_DATE, self._date),
            strict=True,
        )
        for order, ((offset, cells, product, entity), cells_parsed) in enumerate(
            zip(kept, simple, strict=True)
        ):
            row = header_row + offset
            parsed.rows.append(self._parse_row(cells, row, order, parsed, product, entity, cells_parsed))
            if len(parsed.preview) < PREVIEW_ROWS:
                parsed.preview.append([str(row)] + [V.shown(cells[name], 80) for name in header.columns])
        return parsed

    def _column(self, kept: list[tuple], column: str, parser: Callable, *extra: list) -> list[tuple]:
        """(parsed value, error message or None) of one column's cell in every kept row."""
        memo = self._columns.get(column)
        if memo is None:
            memo = self._columns[column] = _ParsedCells(parser)
        values = [cells.get(column, "") for _offset, cells, _product, _entity in kept]
        return list(map(memo.__getitem__, zip(map(type, values), values, *extra, strict=True)))

    # -- one row ----------------------------------------------------------------------------------------

    def _parse_row(
        self,
        cells: dict[str, object],
        row: int,
        order: int,
        parsed: ParsedSheet,
        product_name: str,
        entity_name: str,
        cells_parsed: tuple[tuple, ...],
    ) -> EventRow:
        """One event row; its problems are reported in column order, as (column, message) pairs."""
        get = cells.get
        (
            (entity_type, entity_type_error),
            (tax_code, tax_code_error),
            (group_code, group_error),
            (kind, kind_error),
            (stars, stars_error),
            (score, score_error),
            (day, day_error),
        ) = cells_parsed
        problems: list[tuple[str, str]] = []
        for column, value in ((H.PRODUCT, product_name), (H.ENTITY, entity_name)):
            if not value:
                problems.append(
                    (column, f"Thiếu {'tên sản phẩm' if column == H.PRODUCT else 'tên chủ thể'}.")
                )
            elif len(value) > MAX_NAME:
                problems.append((column, f"Tên dài quá {MAX_NAME} ký tự."))
        if entity_type_error is not None:
            problems.append((H.ENTITY_TYPE, entity_type_error))
        if tax_code_error is not None:
            problems.append((H.TAX_CODE, tax_code_error))
        if group_error is not None:
            problems.append((H.GROUP, group_error))
        if kind_error is not None:
            problems.append((H.KIND, kind_error))
        if stars_error is not None:
            problems.append((H.STARS, stars_error))
        if stars is None and kind != EventKind.REVOCATION and not V.text(get(H.STARS)):
            problems.append((H.STARS, "Thiếu hạng sao (1–5)."))
        if score_error is not None:
            problems.append((H.SCORE, score_error))
        if score is not None and stars is not None and not score_in_band(float(score), stars):
            low, high = BANDS[stars]
            band = f"{low}–{high}" if stars == 5 else f"{low} đến dưới {high}"
            problems.append((H.SCORE, f"Điểm {V.text(get(H.SCORE))} không thuộc khung {stars} sao ({band})."))
        if day_error is not None:
            problems.append((H.DECISION_DATE, day_error))
        if day is None and not V.text(get(H.DECISION_DATE)):
            problems.append((H.DECISION_DATE, "Thiếu ngày quyết định."))
        commune, found = self._commune(cells, day)
        problems.extend(found)
        event = EventRow(
            order=order,
            row=row,
            product_name=product_name,
            entity_name=entity_name,
            entity_type=entity_type or "",
            tax_code=tax_code or "",
            group_code=group_code or "",
            stars=stars,
            score=score,
            decision_number=V.text(get(H.DECISION_NUMBER))[:60],
            decision_date=day,
            kind=kind,
            commune=commune,
        )
        if problems:
            event.ok = False
            for column, message in problems:
                value = V.shown(get(column, ""), 200)
                parsed.errors.append(RowError(row, parsed.label(column), message, value))
        return event

    def _date(self, value: object) -> dt.date | None:
        return V.parse_date(value, today=self.today)

    def _commune(self, cells: dict[str, object], day: dt.date | None) -> tuple[AdminUnit | None, list]:
        """The row's commune and the (column, message) problems of its unit cells, once per distinct cells."""
        commune_text = V.text(cells.get(H.COMMUNE))
        province_text = V.text(cells.get(H.PROVINCE))
        district_text = V.text(cells.get(H.DISTRICT))
        generation = None
        if day is not None:
            generation = Generation.LEGACY if day < REFORM_DATE else Generation.REFORM_2025
        key = ("commune", commune_text, province_text, district_text, generation)
        found = self._memo.get(key)
        if found is None:
            problems: list[tuple[str, str]] = []
            commune = self._find_commune(
                commune_text,
                province_text,
                district_text,
                generation,
                lambda column, message: problems.append((column, message)),
            )
            found = self._memo[key] = (commune, problems)
        return found

    def _find_commune(
        self,
        commune_text: str,
        province_text: str,
        district_text: str,
        generation: str | None,
        error: Callable[[str, str], None],
    ) -> AdminUnit | None:
        if not commune_text:
            error(H.COMMUNE, "Chưa ghi tên xã.")
            return None
        resolver = self.resolver
        column = H.PROVINCE
        try:
            if province_text:
                province = resolver.resolve_province(province_text)
            elif self.default_province is not None:
                province = self.default_province
            else:
                error(H.PROVINCE, "Chưa ghi tên tỉnh.")
                return None
            district = None
            if district_text and generation != Generation.REFORM_2025:
                column = H.DISTRICT
                district = resolver.resolve_district(district_text, province=province)
            column = H.COMMUNE
            commune = resolver.resolve_commune(
                commune_text, district=district, province=province, generation=generation
            )
        except UnitLookupError as exc:
            error(column, exc.message)
            return None
        if self.scope is not None and commune.pk not in self.scope:
            error(H.COMMUNE, f"{commune.name} ngoài phạm vi quản lý của bạn.")
            return None
        return commune
