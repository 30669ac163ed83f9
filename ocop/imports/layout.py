"""How a recognition list is laid out below its header: cells merged down a column, repeated header lines
at page breaks, the "(1) (2) (3)…" column-number row of official tables, blank rows; and the data rows
taken column by column."""

from __future__ import annotations

import re
from operator import itemgetter

from ocop.core.tabular.headers import Header, header_key

from . import headers as H
from . import values as V

_COLUMN_NUMBER = re.compile(r"^\(?\s*\d{1,2}\s*\)?$")
# The columns a row is read from (those the file lacks read as empty cells).
_READ_COLUMNS = (
    H.PRODUCT, H.ENTITY, H.ENTITY_TYPE, H.TAX_CODE, H.COMMUNE, H.DISTRICT, H.PROVINCE, H.GROUP, H.STARS,
    H.SCORE, H.DECISION_NUMBER, H.DECISION_DATE, H.KIND,
)  # fmt: skip


def filled_down(
    rows: list[list[object]], merged: list[tuple[tuple[int, int], tuple[int, int]]], first: int
) -> list[list[object]]:
    """The data rows (``rows[0]`` is sheet row index ``first``) with each cell merged down a column given
    its top cell's value: a province or entity written once for the rows below it."""
    vertical = [m for m in merged if m[0][1] == m[1][1] and m[1][0] > m[0][0] and m[1][0] >= first]
    if not vertical:
        return rows
    rows = [list(row) for row in rows]
    for (top, column), (bottom, _right) in vertical:
        source = top - first
        value = rows[source][column] if 0 <= source < len(rows) and column < len(rows[source]) else None
        if value in (None, ""):
            continue
        for index in range(max(source + 1, 0), min(bottom - first, len(rows) - 1) + 1):
            line = rows[index]
            if len(line) <= column:
                line.extend([""] * (column + 1 - len(line)))
            line[column] = value
    return rows


def columns_of(data: list[list[object]], header: Header) -> dict[str, list[object]]:
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
    blank: list[object] = [""] * len(data)
    for name in _READ_COLUMNS:
        columns.setdefault(name, blank)
    return columns


def kept_rows(
    data: list[list[object]],
    header: Header,
    cells: dict[str, list[object]],
    products: list[str],
    entities: list[str],
) -> list[int]:
    """Indexes of the data rows that are events: not blank, not a repeated header (page break) or the
    "(1) (2) (3)…" column-number row of official tables. Only rows whose product cell is empty, a
    number or the header's own text are looked at closely."""
    column = header.columns[H.PRODUCT]
    header_texts = {line[column] for line in header.lines if column < len(line)}
    stars, dates = cells[H.STARS], cells[H.DECISION_DATE]
    kept = []
    for index, (product, entity) in enumerate(zip(products, entities, strict=True)):
        if product and not _COLUMN_NUMBER.match(product) and header_key(product) not in header_texts:
            kept.append(index)
        elif not product and not entity and V.text(stars[index]) == "" and V.text(dates[index]) == "":
            continue  # blank
        elif not is_filler(data[index], header):
            kept.append(index)
    return kept


def is_filler(row: list[object], header: Header) -> bool:
    """A repeated header line (page break) or the "(1) (2) (3)…" column-number row of official tables."""
    keys = [(index, header_key(cell)) for index, cell in enumerate(row) if V.text(cell)]
    if len(keys) >= 3 and all(_COLUMN_NUMBER.match(V.text(row[index])) for index, _key in keys):
        return True
    for line in header.lines:
        if len(keys) >= 2 and all(index < len(line) and line[index] == key for index, key in keys):
            return True
    return False
