"""From sheets to parsed event rows (``parsed.py``): the header of each sheet, its data rows
(``layout.py``), per-cell parsing and unit lookup.

Nothing here writes; unit lookups go through one cached UnitResolver (one query per province touched). A
workbook is read sheet by sheet: every sheet with a recognisable header is read, the others are listed as
skipped with the reason. Each row is checked by one function (``RowParser._problems``), whose line rules
are those of the services (``certification.history.line_problems``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ocop.certification.history import line_problems
from ocop.core.tabular.headers import Header
from ocop.core.tabular.readers import Sheet, Workbook
from ocop.geography.lookup_errors import UnitLookupError
from ocop.geography.models import AdminUnit, Generation
from ocop.geography.resolver import UnitResolver
from ocop.legal.periods import REFORM_DATE
from ocop.products.models import Product

from . import headers as H
from . import values as V
from .layout import columns_of, filled_down, kept_rows
from .parsed import EventRow, ParsedFile, ParsedSheet, RowError, SheetLabels

MAX_NAME = Product._meta.get_field("name").max_length  # the entity's name has the same limit
PREVIEW_ROWS = 10
_LINE_COLUMNS = {"stars": H.STARS, "score": H.SCORE}  # line_problems' fields


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


NO_HEADER = (
    "Không tìm thấy dòng tiêu đề (cần ít nhất các cột Tên sản phẩm, Chủ thể, Xã, Hạng sao, Ngày quyết định)."
)


class RowParser:
    """Parses the data rows of sheets; ``scope`` (commune ids) limits which communes a user may import."""

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

    def parse_workbook(
        self, workbook: Workbook, progress: Callable[[int, int], None] | None = None
    ) -> ParsedFile:
        """Every sheet with a recognisable header; a sheet without one is skipped (named, with the reason).
        A header lacking a required column is an error of the file."""
        parsed = ParsedFile(skipped=list(workbook.skipped))
        many = len(workbook.sheets) + len(workbook.skipped) > 1
        total = sum(len(sheet.rows) for sheet in workbook.sheets)
        done = 0
        for sheet in workbook.sheets:
            header = H.find_header(sheet.rows, sheet.merged)
            if header is None:
                parsed.skipped.append((sheet.name, "không có dòng tiêu đề của danh sách công nhận"))
                continue
            shown = sheet.name if many else ""
            missing = H.missing(header)
            if missing:
                row = sheet.first_row + header.row_index
                message = "Thiếu cột: " + ", ".join(missing) + "."
                parsed.errors.append(RowError(row, ", ".join(missing), message, "", shown))
                continue

            def report(offset: int, _total: int, base: int = done) -> None:
                if progress:
                    progress(base + offset, total)

            one = self.parse(sheet, header, shown=shown, first_order=len(parsed.rows), progress=report)
            done += len(sheet.rows)
            parsed.sheets.append(one)
            parsed.rows += one.rows
            parsed.errors += one.errors
        if not parsed.sheets and not parsed.errors:
            reasons = "; ".join(f"“{name}”: {reason}" for name, reason in parsed.skipped)
            message = NO_HEADER if not many else f"{NO_HEADER[:-1]} ở trang nào ({reasons})."
            parsed.errors.append(RowError(0, "", message))
        return parsed

    def parse(
        self,
        sheet: Sheet,
        header: Header,
        *,
        shown: str = "",
        first_order: int = 0,
        progress: Callable[[int, int], None] | None = None,
    ) -> ParsedSheet:
        header_row = sheet.first_row + header.row_index
        labels = SheetLabels(shown, header.labels)
        parsed = ParsedSheet(name=sheet.name, header=header, header_row=header_row, labels=labels)
        data = filled_down(sheet.rows[header.row_index + 1 :], sheet.merged, header.row_index + 1)
        total = len(data)
        # Column by column (the per-cell work runs in C through dict lookups): each distinct cell of a
        # column is read or parsed once; rows repeat the same names, units, dates and groups thousands
        # of times.
        cells = columns_of(data, header)
        products = self._texts(cells[H.PRODUCT])
        entities = self._texts(cells[H.ENTITY])
        kept = kept_rows(data, header, cells, products, entities)
        if len(kept) < total:
            cells = {name: [column[i] for i in kept] for name, column in cells.items()}
            products = [products[i] for i in kept]
            entities = [entities[i] for i in kept]
        offsets = [i + 1 for i in kept]
        simple = zip(
            self._column(cells, H.ENTITY_TYPE, V.parse_entity_type, self._type_names(cells, entities)),
            self._column(cells, H.TAX_CODE, V.parse_tax_code),
            self._column(cells, H.GROUP, V.parse_group),
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
        for index, (offset, product, entity, parsed_cells, unit_texts, number) in enumerate(
            zip(offsets, products, entities, simple, units, numbers, strict=True)
        ):
            if progress and index % 500 == 0 and index:
                progress(offset, total)
            (
                (entity_type, entity_type_error),
                (tax_code, tax_code_error),
                (group_code, group_error),
                (kind, kind_error),
                (stars, stars_error),
                (score, score_error),
                (day, day_error),
            ) = parsed_cells
            generation = (
                None if day is None else Generation.LEGACY if day < REFORM_DATE else Generation.REFORM_2025
            )
            commune, unit_problems = self._communes[(*unit_texts, generation)]
            event = EventRow(
                first_order + index,
                header_row + offset,
                labels,
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
            problems = self._problems(event, parsed_cells, unit_problems)
            if problems:
                event.ok = False
                for column, message in problems:
                    value = V.shown(cells[column][index], 200)
                    parsed.errors.append(labels.error(event.row, column, message, value))
            parsed.rows.append(event)
        for offset, index in zip(offsets[:PREVIEW_ROWS], range(PREVIEW_ROWS), strict=False):
            parsed.preview.append(
                [str(header_row + offset)] + [V.shown(cells[name][index], 80) for name in header.columns]
            )
        return parsed

    @staticmethod
    def _problems(
        event: EventRow, parsed_cells: tuple[tuple, ...], unit_problems: list[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        """Every problem of one row, as (column, message) pairs in column order: the one check of a row."""
        problems: list[tuple[str, str]] = []
        for column, value, missing in (
            (H.PRODUCT, event.product_name, "Thiếu tên sản phẩm."),
            (H.ENTITY, event.entity_name, "Thiếu tên chủ thể."),
        ):
            if not value:
                problems.append((column, missing))
            elif len(value) > MAX_NAME:
                problems.append((column, f"Tên dài quá {MAX_NAME} ký tự."))
        for column, (_value, error) in zip(
            (H.ENTITY_TYPE, H.TAX_CODE, H.GROUP, H.KIND, H.STARS, H.SCORE), parsed_cells, strict=False
        ):
            if error is not None:
                problems.append((column, error))
        stars_error, score_error = parsed_cells[4][1], parsed_cells[5][1]
        if stars_error is None:  # the line's own rules, as the services check them
            for name, message in line_problems(
                kind=event.kind, stars=event.stars, score=event.score if score_error is None else None
            ):
                problems.append((_LINE_COLUMNS[name], message))
        day_error = parsed_cells[6][1]
        if day_error is not None:
            problems.append((H.DECISION_DATE, day_error))
        elif event.decision_date is None:
            problems.append((H.DECISION_DATE, "Thiếu ngày quyết định."))
        problems.extend(unit_problems)
        return problems

    @staticmethod
    def _texts(column: list[object]) -> list[str]:
        """The display text of every cell of a column (V.text; text cells through its memoised path)."""
        if set(map(type, column)) <= {str}:  # CSV, and most XLSX text columns
            return list(map(V.text_of_str, column))
        return list(map(V.text, column))

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
