"""From sheet rows to parsed event rows: header mapping, skipped rows, per-cell parsing and unit lookup.

Nothing here writes; unit lookups go through one cached UnitResolver (one query per province touched).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

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
# The columns a row is read from (those the file lacks read as empty cells).
_READ_COLUMNS = (
    H.PRODUCT, H.ENTITY, H.ENTITY_TYPE, H.TAX_CODE, H.COMMUNE, H.DISTRICT, H.PROVINCE, H.GROUP, H.STARS,
    H.SCORE, H.DECISION_NUMBER, H.DECISION_DATE, H.KIND,
)  # fmt: skip


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    value: str = ""  # the cell as read, shown in the web error table (not part of the CLI report)

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(slots=True)
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


def _is_blank(stars: object, decision_date: object) -> bool:
    """A row whose product and entity are empty: blank unless it gives stars or a decision date."""
    return V.text(stars) == "" and V.text(decision_date) == ""


def _may_be_filler(product: str) -> bool:
    """Whether a product cell looks like the start of a repeated header or of the column-number row."""
    return bool(_COLUMN_NUMBER.match(product)) or (
        H.may_name_product(product) and H.canonical_for(product) == H.PRODUCT
    )


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


class _UnitCells(dict):
    """(commune, province, district texts, generation) → (commune or None, its (column, message) problems),
    resolved on first lookup: a list names the same few hundred units thousands of times."""

    def __init__(self, find: Callable) -> None:
        super().__init__()
        self.find = find

    def __missing__(self, key: tuple) -> tuple:
        problems: list[tuple[str, str]] = []
        commune = self.find(*key, lambda column, message: problems.append((column, message)))
        found = self[key] = (commune, problems)
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
        # Lists repeat the same cells thousands of times: each distinct cell (or group of unit cells) is
        # parsed once.
        self._communes = _UnitCells(self._find_commune)
        self._columns: dict[str, _ParsedCells] = {}

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
        # Column by column (the per-cell work runs in C through dict lookups): each distinct cell of a
        # column is read or parsed once; rows repeat the same names, units, dates and groups thousands
        # of times.
        cells = self._cells(data, header)
        products = self._texts(cells[H.PRODUCT])
        entities = self._texts(cells[H.ENTITY])
        kept = self._kept(data, header, cells, products, entities)
        if len(kept) < total:
            cells = {name: [column[i] for i in kept] for name, column in cells.items()}
            products = [products[i] for i in kept]
            entities = [entities[i] for i in kept]
        offsets = [i + 1 for i in kept]
        simple = zip(
            self._column(cells, H.ENTITY_TYPE, V.parse_entity_type, self._type_names(cells, entities)),
            self._column(cells, H.TAX_CODE, V.parse_tax_code),
            self._column(cells, H.GROUP, _group_code),
            self._column(cells, H.KIND, V.parse_kind),
            self._column(cells, H.STARS, V.parse_stars),
            self._column(cells, H.SCORE, V.parse_score),
            self._column(cells, H.DECISION_DATE, self._date),
            strict=True,
        )
        units = zip(
            self._texts(cells[H.COMMUNE]),
            self._texts(cells[H.PROVINCE]),
            self._texts(cells[H.DISTRICT]),
            strict=True,
        )
        numbers = [number[:60] for number in self._texts(cells[H.DECISION_NUMBER])]
        rows = parsed.rows
        communes = self._communes
        revocation = EventKind.REVOCATION
        legacy, reform = Generation.LEGACY, Generation.REFORM_2025
        for order, (offset, product, entity, cells_parsed, unit_texts, number) in enumerate(
            zip(offsets, products, entities, simple, units, numbers, strict=True)
        ):
            if progress and order % 500 == 0 and order:
                progress(offset, total)
            row = header_row + offset
            (
                (entity_type, entity_type_error),
                (tax_code, tax_code_error),
                (group_code, group_error),
                (kind, kind_error),
                (stars, stars_error),
                (score, score_error),
                (day, day_error),
            ) = cells_parsed
            generation = None if day is None else legacy if day < REFORM_DATE else reform
            found = communes[(*unit_texts, generation)]
            commune, commune_problems = found
            if (
                # The common case, checked in one go: a valid row (every check of _problems passes).
                entity_type_error is None
                and tax_code_error is None
                and group_error is None
                and kind_error is None
                and stars_error is None
                and score_error is None
                and day_error is None
                and day is not None
                and not commune_problems
                and (stars is not None or kind == revocation)
                and (score is None or stars is None or score_in_band(float(score), stars))
                and 0 < len(product) <= MAX_NAME
                and 0 < len(entity) <= MAX_NAME
            ):
                rows.append(
                    EventRow(
                        order,
                        row,
                        product,
                        entity,
                        entity_type or "",
                        tax_code or "",
                        group_code or "",
                        stars,
                        score,
                        number,
                        day,
                        kind,
                        commune,
                    )
                )
                continue
            raw = {name: column[order] for name, column in cells.items()}
            rows.append(
                self._parse_row(raw, row, order, parsed, product, entity, cells_parsed, number, found)
            )
        for offset, index in zip(offsets[:PREVIEW_ROWS], range(PREVIEW_ROWS), strict=False):
            parsed.preview.append(
                [str(header_row + offset)] + [V.shown(cells[name][index], 80) for name in header.columns]
            )
        return parsed

    @staticmethod
    def _cells(data: list[list[object]], header: Header) -> dict[str, list[object]]:
        """Each column of the data rows by canonical name ("" past the end of a short row, and for a
        column the file lacks)."""
        indexes = list(header.columns.values())
        width = max(indexes) + 1
        if data and min(map(len, data)) < width:
            data = [raw if len(raw) >= width else [*raw, *[""] * (width - len(raw))] for raw in data]
        if len(indexes) == 1:
            picked = [[raw[indexes[0]] for raw in data]]
        else:
            picked = [list(column) for column in zip(*map(itemgetter(*indexes), data), strict=True)] or [
                [] for _index in indexes
            ]
        columns = dict(zip(header.columns, picked, strict=True))
        blank = [""] * len(data)
        for name in _READ_COLUMNS:
            columns.setdefault(name, blank)
        return columns

    @staticmethod
    def _texts(column: list[object]) -> list[str]:
        """The display text of every cell of a column (V.text; text cells through its memoised path)."""
        if set(map(type, column)) <= {str}:  # CSV, and most XLSX text columns
            return list(map(V.text_of_str, column))
        return list(map(V.text, column))

    def _kept(
        self,
        data: list[list[object]],
        header: Header,
        cells: dict[str, list[object]],
        products: list[str],
        entities: list[str],
    ) -> list[int]:
        """Indexes of the data rows that are events: not blank, not a repeated header or the column-number
        row of official tables."""
        suspicious = self._columns.get("filler")
        if suspicious is None:
            suspicious = self._columns["filler"] = _ParsedCells(_may_be_filler)
        if all(products) and not any(_may_be_filler(product) for product in set(products)):
            return list(range(len(products)))  # every row names a product that cannot start a filler row
        kept = []
        stars, dates = cells[H.STARS], cells[H.DECISION_DATE]
        for index, (product, entity) in enumerate(zip(products, entities, strict=True)):
            if not product and not entity and _is_blank(stars[index], dates[index]):
                continue
            if suspicious[(str, product)][0] and _is_filler(data[index], header, product):
                continue
            kept.append(index)
        return kept

    def _type_names(self, cells: dict[str, list[object]], entities: list[str]) -> list[str]:
        """The entity names parse_entity_type needs: only where the type cell is empty (the type is then
        told from the name), "" elsewhere — so a written type is parsed once, not once per entity."""
        written = self._texts(cells[H.ENTITY_TYPE])
        return [name if not given else "" for given, name in zip(written, entities, strict=True)]

    def _column(self, cells: dict[str, list[object]], column: str, parser: Callable, *extra: list) -> list:
        """(parsed value, error message or None) of one column's cell in every kept row."""
        memo = self._columns.get(column)
        if memo is None:
            memo = self._columns[column] = _ParsedCells(parser)
        values = cells[column]
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
        decision_number: str,
        unit: tuple[AdminUnit | None, list],
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
        commune, found = unit
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
            decision_number=decision_number,
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
                # In the generation of the row's date: a province whose name survived the 2025 merger means
                # the old province before 01/07/2025 (its old districts), the larger new one from then.
                province = resolver.resolve_province(province_text, generation=generation)
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
