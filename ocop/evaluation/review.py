"""What a review step shows before a submission that cannot be undone (a producer's dossier, a member's score
sheet): the total and its parts, the criteria still unanswered and those without evidence, each with the
anchor of its row on the page where it is answered. Pure: a sheet and plain values in, plain values out."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .criteria import Criterion, Sheet
from .scoring import score_member, unanswered


def dom_id(code: str) -> str:
    """The page anchor of a criterion's row ("A1.a" → "c-A1-a")."""
    return "c-" + code.replace(".", "-")


@dataclass(frozen=True)
class Missing:
    code: str
    title: str
    anchor: str

    @classmethod
    def of(cls, crit: Criterion) -> Missing:
        return cls(crit.code, crit.title, dom_id(crit.code))


@dataclass(frozen=True)
class Review:
    total: int
    maximum: int
    parts: dict[str, int]
    answered: int
    criteria: int
    unanswered: list[Missing]
    without_evidence: list[Missing]

    @property
    def complete(self) -> bool:
        return not self.unanswered


def review_of(
    sheet: Sheet, choices: Mapping[str, int | None], *, evidenced: Collection[str] | None = None
) -> Review:
    """The review of ``choices`` on ``sheet``; ``evidenced``: codes with at least one piece of evidence
    (None: evidence is not the reviewer's to give, as on a member's sheet)."""
    by_code = sheet.by_code
    valid: dict[str, int | None] = {
        code: number
        for code, number in choices.items()
        if code in by_code
        and (number is None or (isinstance(number, int) and 1 <= number <= len(by_code[code].options)))
    }
    score = score_member(sheet, valid)
    missing = unanswered(sheet, valid)
    # One of two cases of a group is answered by the other: count the groups once.
    counted = len(sheet.criteria) - sum(len(cases) - 1 for cases in sheet.alternatives().values())
    without: list[Missing] = []
    if evidenced is not None:
        skipped = {c.code for c in sheet.criteria if c.alternative_group and valid.get(c.code) is None}
        without = [Missing.of(c) for c in sheet.criteria if c.code not in evidenced and c.code not in skipped]
    return Review(
        total=score.total,
        maximum=sum(sheet.attainable().values()),
        parts=score.parts,
        answered=counted - len(missing),
        criteria=counted,
        unanswered=[Missing.of(c) for c in missing],
        without_evidence=without,
    )
