"""What a read file becomes: its sheets, their event rows (still unmatched to stored records) and the
messages about rows — errors refuse the file, warnings are shown before the officer confirms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ocop.core.tabular.headers import Header
from ocop.geography.models import AdminUnit


@dataclass(frozen=True)
class RowError:
    """A problem of one row (``row`` 0: of the file). ``sheet`` is named when the workbook has several."""

    row: int
    column: str
    message: str
    value: str = ""  # the cell as read, shown in the web error table (not part of the CLI report)
    sheet: str = ""

    @property
    def text(self) -> str:
        return f"Trang “{self.sheet}”: {self.message}" if self.sheet else self.message

    def as_dict(self) -> dict[str, Any]:
        """The `--report-json` item of SPEC §5.3, exactly these keys."""
        return {"row": self.row, "column": self.column, "message": self.text}


class RowWarning(RowError):
    """A row taken as it is, but worth a look before confirming (a probable misspelling)."""


@dataclass(frozen=True, eq=False)
class SheetLabels:
    """How messages name a sheet's columns and the sheet itself (``shown``: only when the workbook has
    several). Rows point here rather than at their ParsedSheet, which holds them: no reference cycle, so
    a file's rows are freed as soon as the import is done, with the cyclic collector paused or not."""

    shown: str
    labels: dict[str, str]

    def label(self, column: str) -> str:
        """The header text as written in the file, or the canonical name of a column it lacks."""
        return self.labels.get(column, column)

    def error(self, row: int, column: str, message: str, value: str = "") -> RowError:
        return RowError(row, self.label(column), message, value, self.shown)

    def warning(self, row: int, column: str, message: str) -> RowWarning:
        return RowWarning(row, self.label(column), message, "", self.shown)


@dataclass(slots=True)
class EventRow:
    order: int  # position in the file (all sheets)
    row: int  # sheet row number
    sheet: SheetLabels
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

    @property
    def where(self) -> str:
        """ "dòng 12", or "trang “2021”, dòng 12" in a workbook of several sheets."""
        return f"trang “{self.sheet.shown}”, dòng {self.row}" if self.sheet.shown else f"dòng {self.row}"


@dataclass(eq=False)
class ParsedSheet:
    name: str
    header: Header
    header_row: int  # sheet row number of the header's last line
    labels: SheetLabels
    rows: list[EventRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    preview: list[list[str]] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return self.labels.shown


@dataclass
class ParsedFile:
    """The sheets read from a file, those skipped (name, reason), every row and every error."""

    sheets: list[ParsedSheet] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    rows: list[EventRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
