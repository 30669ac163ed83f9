"""The score-sheet tree (Part → Group → Criterion → Option) and the versions of the criteria."""

from __future__ import annotations

from dataclasses import dataclass, field

from ocop.evaluation.choices import DEFAULT_VERSION
from ocop.evaluation.choices import VERSIONS as VERSIONS  # re-exported: the criteria package names it

SET_NUMBERS = range(1, 27)
PART_LETTERS = ("A", "B", "C")
STAR_LEVELS = (3, 4, 5)


@dataclass(frozen=True)
class SheetWarning:
    message: str
    line: int | None = None
    code: str | None = None
    review: bool = False  # True: the arithmetic does not add up, the sheet needs review ("cần rà soát")

    def __str__(self) -> str:
        where = ", ".join(x for x in (f"dòng {self.line}" if self.line else "", self.code or "") if x)
        return f"[{where}] {self.message}" if where else self.message


@dataclass(frozen=True)
class Option:
    number: int
    text: str
    points: int
    star_mark: int | None = None
    line: int | None = field(default=None, compare=False)


@dataclass
class Criterion:
    code: str
    part: str
    group_number: int
    letter: str
    title: str
    description: str = ""
    max_points: int = 0  # what the options can reach (used for scoring)
    options: list[Option] = field(default_factory=list)
    star_mark: int | None = None  # a mark on the criterion row itself
    knockout_note: str | None = None
    alternative_group: str | None = None  # set 26: criteria of one group of which a member scores one
    case_number: int | None = None  # "Trường hợp 1/2" for alternatives
    declared_max: int | None = None  # the criterion's own score cell, if any
    line: int | None = None

    def option(self, number: int) -> Option:
        return self.options[number - 1]

    @property
    def has_zero_option(self) -> bool:
        """Whether an option is worth 0 points; without one, a sheet offers "no option applies"."""
        return any(o.points == 0 for o in self.options)

    @property
    def min_positive_points(self) -> int | None:
        positive = [o.points for o in self.options if o.points > 0]
        return min(positive) if positive else None

    def marks(self) -> list[tuple[int, int]]:
        """``(star, minimum points)`` for every star mark of this criterion."""
        found = [(o.star_mark, o.points) for o in self.options if o.star_mark]
        if self.star_mark and self.min_positive_points is not None:
            found.append((self.star_mark, self.min_positive_points))
        return sorted(found)

    def requirement(self, stars: int) -> int | None:
        """Minimum average points this criterion needs for a ``stars``-star rating, or None."""
        needed = [points for star, points in self.marks() if star <= stars]
        return max(needed) if needed else None


@dataclass
class Heading:
    """A lettered row that only groups "- item" sub-criteria (set 11 "a) Ngoại hình")."""

    code: str
    title: str
    declared_max: int | None
    sub_codes: list[str]
    line: int | None = None


@dataclass
class Group:
    part: str
    number: int
    title: str
    description: str = ""
    max_points: int | None = None  # the group's score cell
    criteria: list[Criterion] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    knockout_note: str | None = None
    line: int | None = None

    @property
    def code(self) -> str:
        return f"{self.part}{self.number}"


@dataclass
class Part:
    letter: str
    title: str
    max_points: int | None  # the part's score cell
    groups: list[Group] = field(default_factory=list)


@dataclass
class Sheet:
    set_number: int
    version: str = DEFAULT_VERSION
    parts: dict[str, Part] = field(default_factory=dict)
    criteria: list[Criterion] = field(default_factory=list)
    warnings: list[SheetWarning] = field(default_factory=list)

    @property
    def by_code(self) -> dict[str, Criterion]:
        return {c.code: c for c in self.criteria}

    def criterion(self, code: str) -> Criterion:
        return self.by_code[code]

    @property
    def needs_review(self) -> bool:
        return any(w.review for w in self.warnings)

    def alternatives(self) -> dict[str, list[Criterion]]:
        groups: dict[str, list[Criterion]] = {}
        for crit in self.criteria:
            if crit.alternative_group:
                groups.setdefault(crit.alternative_group, []).append(crit)
        return groups

    def attainable(self, case: int | None = None) -> dict[str, int]:
        """Best reachable points per part. ``case`` picks "Trường hợp N" in every alternative group;
        None counts each alternative group at its best case."""
        totals = dict.fromkeys(self.parts, 0)
        alt_best: dict[str, int] = {}
        for crit in self.criteria:
            if crit.alternative_group is None:
                totals[crit.part] += crit.max_points
            elif case is None:
                alt_best[crit.alternative_group] = max(
                    alt_best.get(crit.alternative_group, 0), crit.max_points
                )
            elif crit.case_number == case:
                totals[crit.part] += crit.max_points
        for code, best in alt_best.items():
            totals[code[0]] += best
        return totals

    def knockouts(self) -> list[Criterion]:
        return [c for c in self.criteria if c.knockout_note]
