"""Pure rules of a product's recognition history (SPEC §3, §5.3). No database: used by the services,
the importer (which checks thousands of rows in memory) and the statistics — one definition of each rule:

* ``line_problems``: what is wrong with a decision line on its own (stars, score band);
* ``check_line``: whether a line can follow a history (upgrade to a higher star, revoke what is recognised);
* ``unanchored``: a renewal, upgrade or revocation with no earlier line. A list may start mid-history, so
  the importer takes such a line with a warning; ``event_record`` (a product's whole history is in the
  system) keeps refusing the ones ``check_line`` refuses;
* ``RecordedDecisions``: whether a decision is already recorded ("the same decision").

A history is a list of ``Line`` ordered by (date, order); the state as of a day follows from the latest
line on or before that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from ocop.core.text import fold_compact

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


def line_problems(*, kind: str | None, stars: int | None, score: Decimal | None) -> list[tuple[str, str]]:
    """(field, Vietnamese message) of what is wrong with one decision line on its own; fields are
    "stars" and "score"."""
    problems = []
    if stars is None:
        if kind != EventKind.REVOCATION:
            problems.append(("stars", "Thiếu hạng sao (1–5)."))
    elif not 1 <= stars <= 5:
        problems.append(("stars", f"Hạng sao phải từ 1 đến 5 (đang ghi {stars})."))
    elif score is not None and not score_in_band(float(score), stars):
        low, high = BANDS[stars]
        band = f"{low}–{high}" if stars == 5 else f"{low} đến dưới {high}"
        written = format(score.normalize(), "f").replace(".", ",")
        problems.append(("score", f"Điểm {written} không thuộc khung {stars} sao ({band})."))
    return problems


# Decision numbers are compared without case, spaces, punctuation or diacritics ("12/QĐ-UBND" is
# "12/qđ - ubnd"); lists repeat a few hundred numbers thousands of times.
decision_number_key = lru_cache(maxsize=65_536)(fold_compact)


class RecordedDecisions:
    """The decisions of one product's history, to tell whether a line is already recorded.

    The same decision: the same date, the same number (``decision_number_key``) and the same stars, and the
    same kind unless the line leaves its kind to be inferred. The same kind, date and number with other
    stars is a contradiction (``contradicts``). Each decision may carry a reference (its stored event)."""

    __slots__ = ("_full", "_any_kind", "_no_stars")

    def __init__(self) -> None:
        self._full: dict[tuple[object, ...], object] = {}
        self._any_kind: dict[tuple[object, ...], object] = {}
        self._no_stars: set[tuple[object, ...]] = set()

    def add(self, kind: str, day: dt.date, number: str, stars: int | None, ref: object = True) -> None:
        key = decision_number_key(number)
        self._full.setdefault((kind, day, key, stars), ref)
        self._any_kind.setdefault((day, key, stars), ref)
        self._no_stars.add((kind, day, key))

    def find(self, kind: str | None, day: dt.date, number: str, stars: int | None) -> object | None:
        """The recorded decision's reference, or None when the line is not recorded yet."""
        key = decision_number_key(number)
        if kind:
            return self._full.get((kind, day, key, stars))
        return self._any_kind.get((day, key, stars))

    def contradicts(self, kind: str, day: dt.date, number: str) -> bool:
        """A recorded line with this kind, date and number (after ``find`` found none: other stars)."""
        return (kind, day, decision_number_key(number)) in self._no_stars


CONTRADICTION = "Đã có sự kiện cùng hình thức, ngày và số quyết định cho sản phẩm này nhưng khác hạng sao."


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


CONTINUING_KINDS: dict[str, str] = {
    EventKind.RENEWAL: "Công nhận lại",
    EventKind.UPGRADE: "Nâng hạng",
    EventKind.REVOCATION: "Thu hồi",
}


def unanchored(lines: list[Line], new: Line) -> str | None:
    """A renewal, upgrade or revocation of a product with no line before it (by date, then order): the
    reason to warn (Vietnamese), or None."""
    if new.kind not in CONTINUING_KINDS:
        return None
    if any((line.date, line.order) < (new.date, new.order) for line in lines):
        return None
    return (
        f"{CONTINUING_KINDS[new.kind]} cho sản phẩm chưa có dòng công nhận nào trước đó (trong tệp hay đã "
        "lưu): kiểm tra tên sản phẩm và chủ thể trước khi xác nhận."
    )


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
