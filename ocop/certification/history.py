"""Pure rules of a product's recognition history (SPEC §3, §5.3). No database: used by the services,
the importer (which checks thousands of rows in memory) and the statistics.

A history is a list of ``Line`` ordered by (date, order); the state as of a day follows from the latest
line on or before that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from .choices import EventKind
from .validity import valid_until

OCOP_MIN_STARS = 3
BANDS = {5: (90, 100), 4: (70, 90), 3: (50, 70), 2: (30, 50), 1: (0, 30)}


# Named tuples rather than frozen dataclasses: as immutable, and built five times faster — the importer
# and the statistics make tens of thousands of them per call.
class Line(NamedTuple):
    kind: str
    stars: int | None
    date: dt.date
    order: int = 0  # tie-break for lines on the same day (file order / id)


class State(NamedTuple):
    recognised: bool
    stars: int | None
    since: dt.date | None  # date of the latest line
    certificate_end: dt.date | None
    revoked: bool

    def in_force(self, day: dt.date) -> bool:
        return self.recognised and self.certificate_end is not None and day <= self.certificate_end


NOT_RECOGNISED = State(False, None, None, None, False)


def lines_of(events: Iterable[Any]) -> list[Line]:
    """The history lines of stored events (RecognitionEvent rows or anything with the same fields)."""
    return [Line(e.kind, e.stars, e.decision_date, e.pk or 0) for e in events]


def ordered(lines: list[Line]) -> list[Line]:
    return sorted(lines, key=lambda line: (line.date, line.order))


def state_on(lines: list[Line], day: dt.date) -> State:
    """State as of ``day``: recognised when the latest line on or before it is not a revocation and
    carries an OCOP star (3–5); the certificate is that line's (36 months)."""
    latest = None
    for line in ordered(lines):
        if line.date > day:
            break
        latest = line
    if latest is None:
        return NOT_RECOGNISED
    return state_after(latest.kind, latest.stars, latest.date)


def state_after(kind: str, stars: int | None, date: dt.date) -> State:
    """The state a product is in when its latest line is (kind, stars, date)."""
    if kind == EventKind.REVOCATION:
        return State(False, None, date, None, True)
    if stars is None or stars < OCOP_MIN_STARS:
        return State(False, stars, date, None, False)
    return State(True, stars, date, valid_until(date), False)


def score_in_band(score: float, stars: int) -> bool:
    low, high = BANDS[stars]
    return low <= score <= high if stars == 5 else low <= score < high


def infer_kind(lines: list[Line], stars: int, day: dt.date) -> str:
    """`Hình thức` left empty: new when never recognised (or after a revocation), upgrade when the star
    rises, otherwise renewal. A revocation is never inferred."""
    before = state_on(lines, day)
    if before.recognised and before.stars is not None:
        return EventKind.UPGRADE if stars > before.stars else EventKind.RENEWAL
    previously = [line for line in lines if line.date <= day and line.kind != EventKind.REVOCATION]
    if before.revoked or not previously:
        return EventKind.NEW
    # Recognised before but lapsed (or a non-OCOP star): a fresh decision for the same product.
    last_stars = next((line.stars for line in reversed(ordered(previously)) if line.stars), None)
    if last_stars is not None and stars > last_stars:
        return EventKind.UPGRADE
    return EventKind.RENEWAL


def check_line(lines: list[Line], new: Line) -> str | None:
    """Why ``new`` cannot follow ``lines`` (Vietnamese message), or None when it can."""
    if new.kind != EventKind.REVOCATION and new.stars is None:
        return "Thiếu hạng sao."
    before = state_on(lines, new.date)
    if new.kind == EventKind.UPGRADE:
        current = before.stars if before.recognised else None
        if current is None:
            last = [line.stars for line in ordered(lines) if line.date <= new.date and line.stars]
            current = last[-1] if last else None
        if current is None:
            return "Nâng hạng cho sản phẩm chưa từng được công nhận."
        if new.stars is not None and new.stars <= current:
            return f"Nâng hạng phải lên hạng cao hơn hạng hiện tại ({current} sao)."
    if new.kind == EventKind.REVOCATION and not before.recognised:
        return "Thu hồi sản phẩm không đang được công nhận tại ngày quyết định."
    return None
