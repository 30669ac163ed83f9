"""Header rows of uploaded tables: found below any title rows, on one line or two.

An importer names its columns with ``canonical_for(text)`` (its canonical column name for a header text, or
None). ``find_header`` looks at the first rows for the line — or pair of lines — that names the most
columns. Official tables often put a merged heading over some columns ("Địa chỉ" over Xã / Huyện / Tỉnh,
"Quyết định công nhận" over Số / Ngày): a column under such a parent is named by the child and the parent
together ("Số" + "Quyết định công nhận" = "Số quyết định công nhận"), or by the child alone ("Xã" under
"Địa chỉ"); a column whose child cell is empty is named by the parent alone ("Tên sản phẩm" merged over
both lines). The parent comes from a merged cell (XLSX, XLS), or from the nearest non-blank cell to its
left when blank (CSV, where a merged heading is written once, or repeated over its columns).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ocop.core.text import fold_compact

from .cells import text

SCAN_ROWS = 30
_NOTE = re.compile(r"\(\s*(?:\*+|\d{1,2}|[a-z])\s*\)\s*$", re.IGNORECASE)
Merged = Sequence[tuple[tuple[int, int], tuple[int, int]]]


@lru_cache(maxsize=16_384)
def header_key(value: object) -> str:
    """A header text compared without case, diacritics, spaces, punctuation or a trailing "(*)"/"(1)" note."""
    cleaned = _NOTE.sub("", str(value or "").strip()).replace("*", "")
    return fold_compact(cleaned)


@dataclass
class Header:
    row_index: int  # index into the sheet's rows of the header's last line
    columns: dict[str, int]  # canonical name → column index
    labels: dict[str, str]  # canonical name → header text as written ("Quyết định công nhận / Số")
    ignored: list[str]  # header texts that matched nothing (shown in a preview)
    depth: int = 1  # lines of the header (1 or 2)
    lines: tuple[tuple[str, ...], ...] = ()  # each line's header keys by column (to spot it repeated)

    @property
    def first_row_index(self) -> int:
        return self.row_index - self.depth + 1


def _texts(row: Sequence[object]) -> list[str]:
    return [" ".join(text(cell).split()) for cell in row]


def _named(
    pairs: list[tuple[str, str]], canonical_for: Callable[[str], str | None], *, row_index: int, depth: int
) -> Header:
    """Columns named by (parent, child) texts; the first of two columns with the same meaning wins."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for index, (parent, child) in enumerate(pairs):
        if not parent and not child:
            continue
        if not child:
            candidates = [(parent, parent)]
        elif not parent or parent == child:
            candidates = [(child, child)]
        else:
            shown = f"{parent} / {child}"
            candidates = [(f"{child} {parent}", shown), (f"{parent} {child}", shown), (child, shown)]
        for candidate, label in candidates:
            name = canonical_for(candidate)
            if name is not None:
                if name not in columns:
                    columns[name] = index
                    labels[name] = label
                break
        else:
            ignored.append(candidates[0][1] if len(candidates) == 1 else f"{parent} / {child}")
    return Header(row_index=row_index, columns=columns, labels=labels, ignored=ignored, depth=depth)


def _filled(rows: list[list[object]], merged: Merged) -> list[list[str]]:
    """The texts of the first rows with every merged range's value copied into all of its cells."""
    texts = [_texts(row) for row in rows]
    for (top, left), (bottom, right) in merged:
        if top >= len(texts):
            continue
        value = texts[top][left] if left < len(texts[top]) else ""
        for index in range(top, min(bottom, len(texts) - 1) + 1):
            line = texts[index]
            if len(line) <= right:
                line.extend([""] * (right + 1 - len(line)))
            for column in range(left, right + 1):
                line[column] = value
    return texts


def _pairs(parent: list[str], child: list[str], merged_parent: bool) -> list[tuple[str, str]]:
    """(parent, child) texts per column; a blank parent over a written child takes the nearest parent
    text to its left (CSV writes a merged heading once), unless merged cells already filled it."""
    width = max(len(parent), len(child))
    parent = parent + [""] * (width - len(parent))
    child = child + [""] * (width - len(child))
    pairs = []
    carried = ""
    for above, below in zip(parent, child, strict=True):
        if above:
            carried = above
        elif below and not merged_parent:
            above = carried
        pairs.append((above, below))
    return pairs


def _rank(header: Header) -> tuple[int, int]:
    return len(header.columns), -header.depth


def find_header(
    rows: list[list[object]],
    *,
    canonical_for: Callable[[str], str | None],
    accept: Callable[[dict[str, int]], bool],
    merged: Merged = (),
    scan_rows: int = SCAN_ROWS,
) -> Header | None:
    """The header among the first rows that names the most columns (one line, or two when two name
    more), if ``accept`` takes its columns; title rows match nothing and are skipped."""
    top = rows[: scan_rows + 1]
    texts = _filled(top, [m for m in merged if m[0][0] < len(top)])
    merged_rows = {index for (first, _l), (last, _r) in merged for index in range(first, last + 1)}
    best: Header | None = None
    for index, line in enumerate(texts[:scan_rows]):
        candidates = [_named([("", label) for label in line], canonical_for, row_index=index, depth=1)]
        if index + 1 < len(texts):
            pairs = _pairs(line, texts[index + 1], merged_parent=index in merged_rows)
            candidates.append(_named(pairs, canonical_for, row_index=index + 1, depth=2))
        for header in candidates:
            # More columns win; on a tie one line beats two (a title above, or the first data row below,
            # names nothing more).
            if accept(header.columns) and (best is None or _rank(header) > _rank(best)):
                best = header
    if best is not None:
        first = best.row_index - best.depth + 1
        best.lines = tuple(
            tuple(header_key(cell) for cell in texts[i]) for i in range(first, best.row_index + 1)
        )
    return best
