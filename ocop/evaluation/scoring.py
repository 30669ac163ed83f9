"""Pure scoring rules of Decision 148 (SPEC §4): member totals, council average, star band, mandatory marks.

These functions are the single implementation used by the ``evaluate-sheet`` command and the web scoring
pages. They read a :class:`~ocop.evaluation.criteria.Sheet` and plain dicts; they store nothing.

Rules implemented:

* a member's choices map criterion code → option number (1..n); a missing code scores 0;
* a sheet is complete when every criterion is answered — an option, or "no option applies" (0 points,
  stored as the code with no option: ``None``), a "choose one of two" group by one of its cases
  (``unanswered``): a member submits only a complete sheet, a producer an incomplete self-assessment only
  once told what is missing;
* the council's score is the average of the members' totals, 2 decimals, ROUND_HALF_UP;
* bands: 5★ [90, 100], 4★ [70, 90), 3★ [50, 70), 2★ [30, 50), 1★ [0, 30) (on the rounded average);
* a star mark on an option requires, for that star and above, the council's average points on that
  criterion to be at least the option's points; a mark on the criterion row requires its lowest option
  that scores above 0;
* stars = the band, lowered one star at a time while a requirement of the current star (marks of that
  star or below) is unmet; below 3★ the product is not an OCOP product;
* two members' totals 10 or more points apart block the result until re-scored or explained;
* a knock-out ("điểm liệt") declared by the council on a criterion stops the evaluation: no stars;
* a session's sheets make a result only with its quorum: by default 3/4 of the members, the chair included
  (the council's rules may say otherwise).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .criteria import PART_LETTERS, STAR_LEVELS, Criterion, Sheet

TWO_PLACES = Decimal("0.01")
# What the web's sheets post for "no option applies" (0 points) on a criterion none of whose options is
# worth 0: stored as the code with no option (None), which scores 0 like a missing code but is answered.
NONE_APPLIES = 0
SPREAD_LIMIT = Decimal(10)
OCOP_MIN_STARS = 3
# Lower bound of each star band (SPEC §4, half-open intervals).
BANDS: tuple[tuple[int, Decimal], ...] = (
    (5, Decimal(90)),
    (4, Decimal(70)),
    (3, Decimal(50)),
    (2, Decimal(30)),
    (1, Decimal(0)),
)


@dataclass(frozen=True)
class MemberScore:
    total: int
    parts: dict[str, int]
    points: dict[str, int]  # criterion code → points (every criterion of the sheet, 0 when not chosen)


@dataclass(frozen=True)
class Knockout:
    code: str
    note: str


@dataclass(frozen=True)
class Result:
    average: Decimal
    parts: dict[str, Decimal]
    band_stars: int
    stars: int  # 0 when a knock-out stopped the evaluation
    held_back_by: list[str]  # codes whose requirements for the band's star are unmet, sorted
    unmet_by_star: dict[int, list[str]]  # star of the mark → codes whose mark of that star is unmet
    spread_blocked: bool
    member_totals: list[int]
    criterion_averages: dict[str, Decimal] = field(default_factory=dict)  # 2 decimals, for display
    knockouts: list[Knockout] = field(default_factory=list)

    @property
    def is_ocop(self) -> bool:
        """Rated 3★ or more (the result may still be blocked by the members' spread)."""
        return self.stars >= OCOP_MIN_STARS and not self.knockouts


def quorum_needed(members: int, percent: int) -> int:
    """How many members must attend for ``percent`` of ``members`` (rounded up: 3/4 of 5 is 4)."""
    return -(-members * percent // 100)


def quorum_met(
    *, members: int, present: int, chair_present: bool, percent: int, chair_required: bool
) -> bool:
    """A session's quorum under its council's rules (by default 3/4 of the members, the chair included)."""
    if members <= 0:
        return False
    return present >= quorum_needed(members, percent) and (chair_present or not chair_required)


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def band_stars(score: Decimal | int | float | str) -> int:
    """The star band of a score (the council's average):
    5★ 90–100, 4★ 70–<90, 3★ 50–<70, 2★ 30–<50, 1★ <30."""
    value = Decimal(str(score))
    if value < 0 or value > 100:
        raise ValueError(f"Điểm {score} nằm ngoài khoảng 0–100")
    for stars, lower in BANDS:
        if value >= lower:
            return stars
    return 1  # pragma: no cover - the last band starts at 0


def is_spread_blocked(totals: Iterable[Decimal | int]) -> bool:
    """True when two members' totals differ by 10 points or more."""
    values = [Decimal(str(t)) for t in totals]
    return bool(values) and max(values) - min(values) >= SPREAD_LIMIT


def score_member(sheet: Sheet, choices: Mapping[str, int | None]) -> MemberScore:
    """Score one member's sheet. Raises ValueError naming the code for an unknown criterion, an option
    number out of range, or two cases of one "choose one of two" criterion."""
    by_code = sheet.by_code
    points = dict.fromkeys(by_code, 0)
    cases: dict[str, str] = {}
    for code, number in choices.items():
        crit = by_code.get(code)
        if crit is None:
            raise ValueError(f"Mã tiêu chí '{code}' không có trong bộ tiêu chí số {sheet.set_number}")
        if number is None:
            continue
        if isinstance(number, bool) or not isinstance(number, int):
            raise ValueError(f"Tiêu chí {code}: phương án phải là số nguyên, nhận được {number!r}")
        if not 1 <= number <= len(crit.options):
            raise ValueError(
                f"Tiêu chí {code}: phương án {number} không hợp lệ (chỉ có phương án 1–{len(crit.options)})"
            )
        if crit.alternative_group:
            other = cases.setdefault(crit.alternative_group, code)
            if other != code:
                raise ValueError(
                    f"Tiêu chí {crit.alternative_group}: chỉ chấm một trong hai trường hợp "
                    f"({other} hoặc {code})"
                )
        points[code] = crit.option(number).points
    parts = {letter: 0 for letter in PART_LETTERS if letter in sheet.parts}
    for code, value in points.items():
        parts[by_code[code].part] += value
    return MemberScore(total=sum(parts.values()), parts=parts, points=points)


def unanswered(sheet: Sheet, choices: Mapping[str, int | None]) -> list[Criterion]:
    """The criteria not answered (no option, and not "no option applies"), in sheet order. A "choose one of
    two" group is answered by either case; unanswered, it is named once, by its first case."""
    missing: list[Criterion] = []
    named_groups: set[str] = set()
    alternatives = sheet.alternatives()
    for crit in sheet.criteria:
        if crit.code in choices:
            continue
        group = crit.alternative_group
        if group is None:
            missing.append(crit)
        elif group not in named_groups:
            named_groups.add(group)
            if not any(case.code in choices for case in alternatives[group]):
                missing.append(crit)
    return missing


def missing_sentence(missing: Sequence[Criterion], what: str) -> str:
    """ "Còn 3 tiêu chí chưa chấm: A1.a, A2.b, C1.a." (at most ten codes named)."""
    codes = ", ".join(c.code for c in missing[:10]) + (", …" if len(missing) > 10 else ".")
    return f"Còn {len(missing)} tiêu chí {what}: {codes}"


def _unmet(sheet: Sheet, scores: Sequence[MemberScore]) -> dict[int, list[str]]:
    """Star of the mark → sorted codes whose mark is not reached by the council's average points."""
    count = len(scores)
    by_star: dict[int, set[str]] = {star: set() for star in STAR_LEVELS}
    for crit in sheet.criteria:
        marks = crit.marks()
        if not marks:
            continue
        total = _criterion_total(crit, sheet, scores)
        if total is None:
            continue
        for star, needed in marks:
            # average >= needed, compared exactly: sum >= needed × members
            if total < needed * count:
                by_star.setdefault(star, set()).add(crit.code)
    return {star: sorted(codes) for star, codes in sorted(by_star.items())}


def _criterion_total(crit: Criterion, sheet: Sheet, scores: Sequence[MemberScore]) -> int | None:
    """Sum of the members' points on a criterion. For one case of a "choose one of two" criterion, the
    points of whichever case each member scored; None when no member chose this case (no requirement)."""
    if crit.alternative_group is None:
        return sum(s.points[crit.code] for s in scores)
    siblings = sheet.alternatives()[crit.alternative_group]
    if not any(s.points[crit.code] for s in scores):
        return None
    return sum(s.points[c.code] for s in scores for c in siblings)


def council_result(
    sheet: Sheet, members: Sequence[Mapping[str, int | None]], *, knocked_out: Collection[str] = ()
) -> Result:
    """Combine the members' sheets into the council's result.

    ``knocked_out``: codes of criteria whose knock-out note ("điểm liệt") the council found applies; the
    evaluation then stops (``stars == 0``)."""
    if not members:
        raise ValueError("Chưa có phiếu chấm của thành viên nào")
    scores = []
    for index, choices in enumerate(members, start=1):
        if not isinstance(choices, Mapping):
            raise ValueError(f"Phiếu của thành viên {index} phải là một đối tượng mã tiêu chí → phương án")
        try:
            scores.append(score_member(sheet, choices))
        except ValueError as exc:
            raise ValueError(f"Thành viên {index}: {exc}") from exc
    knockouts = []
    for code in sorted(knocked_out):
        crit = sheet.by_code.get(code)
        if crit is None or not crit.knockout_note:
            raise ValueError(
                f"Tiêu chí '{code}' không có ghi chú điểm liệt trong bộ tiêu chí số {sheet.set_number}"
            )
        knockouts.append(Knockout(code, crit.knockout_note))

    count = Decimal(len(scores))
    average = _round(sum(Decimal(s.total) for s in scores) / count)
    parts = {letter: _round(sum(Decimal(s.parts[letter]) for s in scores) / count) for letter in sheet.parts}
    criterion_averages = {
        code: _round(sum(Decimal(s.points[code]) for s in scores) / count) for code in sheet.by_code
    }
    band = band_stars(average)
    unmet = _unmet(sheet, scores)
    stars = band
    while stars >= OCOP_MIN_STARS and any(unmet.get(star) for star in STAR_LEVELS if star <= stars):
        stars -= 1
    held_back_by = sorted({code for star, codes in unmet.items() if star <= band for code in codes})
    return Result(
        average=average,
        parts=parts,
        band_stars=band,
        stars=0 if knockouts else stars,
        held_back_by=held_back_by,
        unmet_by_star=unmet,
        spread_blocked=is_spread_blocked(s.total for s in scores),
        member_totals=[s.total for s in scores],
        criterion_averages=criterion_averages,
        knockouts=knockouts,
    )


def _format_points(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def explain(sheet: Sheet, result: Result) -> str:
    """One human-readable Vietnamese sentence (or a few) explaining the stars, e.g.
    "Đạt 74 điểm nhưng chưa đạt tiêu chí bắt buộc 4 sao: A3.e Sở hữu trí tuệ. Xếp hạng 3 sao." """
    by_code = sheet.by_code
    score = _format_points(result.average)
    sentences: list[str] = []
    if result.knockouts:
        notes = "; ".join(f"{k.code} {by_code[k.code].title} ({k.note})" for k in result.knockouts)
        sentences.append(f"Dừng đánh giá do điểm liệt: {notes}.")
    elif result.stars == result.band_stars:
        sentences.append(f"Đạt {score} điểm, xếp hạng {result.stars} sao.")
    else:
        details = "; ".join(
            f"chưa đạt tiêu chí bắt buộc {star} sao: " + ", ".join(f"{c} {by_code[c].title}" for c in codes)
            for star, codes in sorted(result.unmet_by_star.items(), reverse=True)
            if codes and star <= result.band_stars
        )
        sentences.append(f"Đạt {score} điểm nhưng {details}. Xếp hạng {result.stars} sao.")
    if not result.knockouts and result.stars < OCOP_MIN_STARS:
        sentences.append("Chưa đạt hạng 3 sao: không được công nhận là sản phẩm OCOP.")
    if result.spread_blocked:
        sentences.append(
            "Điểm của các thành viên chênh lệch từ 10 điểm trở lên: "
            "cần chấm lại hoặc giải trình trước khi công nhận."
        )
    if sheet.needs_review:
        sentences.append(
            f"Lưu ý: bộ tiêu chí số {sheet.set_number} cần rà soát (số học của phiếu không khớp)."
        )
    return " ".join(sentences)
