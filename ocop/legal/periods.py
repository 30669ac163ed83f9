"""The legal periods of OCOP evaluation: whose rules apply on a date, and who may do what under them.

One table, as data (``PERIODS``). Whatever depends on the rules asks it with the date of the act — a dossier's
submission, a council session, a decision, a forwarding letter — never with today's date:

* Decision 1048/QĐ-TTg, from 21/08/2019 (amended by 781/QĐ-TTg of 08/06/2020): districts receive dossiers
  and pre-score them, forwarding those of 50 points or more; the province recognises 3★ and 4★; ≥ 90 points
  go to the central level, which recognises 5★. Criteria A 35 / B 25 / C 40.
* Decision 148/QĐ-TTg, from 24/02/2023: district People's Committees recognise 3★ and forward ≥ 70 points,
  provinces recognise 4★ and forward ≥ 90 points, the ministry recognises 5★. Criteria A 40 / B 25 / C 35.
* From 01/07/2025 (two-level local government; Decision 1489/QĐ-TTg of 06/07/2025 rewrites 148's process):
  no district level; communes receive dossiers and score their criteria (origin, local labour, the idea,
  local identity), provinces recognise 3★ and 4★ and propose ≥ 90 points to the ministry.

The ministry is the Ministry of Agriculture and Rural Development until 28/02/2025 and the Ministry of
Agriculture and Environment from 01/03/2025 (``ministry_name``).

Sources: /work/shared/domain/ocop-reference.md §0, §1.7, §2.1, §2.6, §9 (legal texts cited there).

This module imports no other ocop app, so that geography, evaluation and certification can all use it.
Levels and roles are the plain strings those apps store (``ocop.accounts.roles.Role`` values; a test checks
that they match).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

# -- levels, roles and steps -------------------------------------------------------------------------------
COMMUNE = "commune"
DISTRICT = "district"
PROVINCE = "province"
MINISTRY = "ministry"
LEVEL_ORDER = (COMMUNE, DISTRICT, PROVINCE, MINISTRY)
LEVEL_NAMES = {COMMUNE: "cấp xã", DISTRICT: "cấp huyện", PROVINCE: "cấp tỉnh", MINISTRY: "cấp trung ương"}

ADMIN = "admin"
PRODUCER = "producer"
COMMUNE_OFFICER = "commune_officer"
DISTRICT_OFFICER = "district_officer"
PROVINCE_OFFICER = "province_officer"
MINISTRY_OFFICER = "ministry_officer"
ROLE_NAMES = {
    PRODUCER: "chủ thể sản xuất",
    COMMUNE_OFFICER: "cán bộ cấp xã",
    DISTRICT_OFFICER: "cán bộ cấp huyện",
    PROVINCE_OFFICER: "cán bộ cấp tỉnh",
    MINISTRY_OFFICER: "cán bộ cấp trung ương (Bộ)",
}

SUBMIT = "submit"  # the producer submits (or resubmits) a dossier to the level that receives it
RECEIVE = "receive"  # the level holding a dossier takes it in
ASSESS = "assess"  # the commune scores its own criteria of the score sheet (a partial evaluation)
PROPOSE = "propose"  # the commune proposes the dossier to the province
RETURN = "return"  # a dossier goes back to the producer for supplement
CHECK = "check"  # the advisory team (tổ tư vấn) checks the dossier before the council
COUNCIL = "council"  # set up a council of the level (members, sessions, attendance), put dossiers before it
FORWARD = "forward"  # propose a council result to the level above, with a letter (công văn)
RETURN_DOWN = "return_down"  # the level above sends a forwarded result back (the ministry's return at 4★)
DECIDE = "decide"  # record the level's recognition decision from its own council's result
RECORD = "record"  # type in a decision already issued (history), incl. for an abolished district
REVOKE = "revoke"  # record a decision revoking a recognition

STEP_NAMES = {
    SUBMIT: "nộp hồ sơ",
    RECEIVE: "tiếp nhận hồ sơ",
    ASSESS: "chấm các tiêu chí của cấp xã",
    PROPOSE: "đề xuất hồ sơ lên cấp tỉnh",
    RETURN: "trả hồ sơ để bổ sung",
    CHECK: "ghi kết quả kiểm tra của tổ tư vấn",
    COUNCIL: "lập và điều hành hội đồng",
    FORWARD: "đề nghị cấp trên đánh giá",
    RETURN_DOWN: "trả kết quả về cấp dưới",
    DECIDE: "ghi quyết định công nhận",
    RECORD: "ghi quyết định đã ban hành",
    REVOKE: "ghi quyết định thu hồi",
}

# 01/07/2025: two-level local government (no districts); the one definition of the date in the project.
REFORM_DATE = dt.date(2025, 7, 1)
MINISTRY_RENAMED = dt.date(2025, 3, 1)
MINISTRY_NAMES: tuple[tuple[dt.date, str], ...] = (
    (dt.date.min, "Bộ Nông nghiệp và Phát triển nông thôn"),
    (MINISTRY_RENAMED, "Bộ Nông nghiệp và Môi trường"),
)


def ministry_name(day: dt.date) -> str:
    """The ministry in charge of OCOP by its name on ``day``."""
    name = MINISTRY_NAMES[0][1]
    for since, candidate in MINISTRY_NAMES:
        if day >= since:
            name = candidate
    return name


# -- instruments -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Instrument:
    """A Prime Minister's decision, as cited in the grounds (căn cứ) of a document."""

    number: str
    signed: dt.date
    subject: str

    @property
    def short(self) -> str:
        return f"Quyết định {self.number}"

    @property
    def ground(self) -> str:
        return (
            f"Căn cứ Quyết định số {self.number} ngày {self.signed:%d/%m/%Y} của Thủ tướng Chính phủ "
            f"{self.subject};"
        )


D1048 = Instrument(
    "1048/QĐ-TTg",
    dt.date(2019, 8, 21),
    "ban hành Bộ tiêu chí đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm",
)
D781 = Instrument(
    "781/QĐ-TTg",
    dt.date(2020, 6, 8),
    "sửa đổi, bổ sung một số Phụ lục ban hành kèm theo Quyết định số 1048/QĐ-TTg",
)
D148 = Instrument(
    "148/QĐ-TTg",
    dt.date(2023, 2, 24),
    "ban hành Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm",
)
D1489 = Instrument(
    "1489/QĐ-TTg",
    dt.date(2025, 7, 6),
    "sửa đổi Phụ lục II (quy trình đánh giá, phân hạng sản phẩm) ban hành kèm theo Quyết định số 148/QĐ-TTg",
)


class NoPeriod(LookupError):
    """A date before the first national OCOP rules."""


# -- the table ---------------------------------------------------------------------------------------------
def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


@dataclass(frozen=True)
class Period:
    code: str
    starts: dt.date
    decision: Instrument  # the decision that set this period's rules ("the decision that says so")
    instruments: tuple[Instrument, ...]  # cited in documents from their signing date on
    criteria_version: str  # evaluation.CriteriaVersion.legal_version of new dossiers
    criteria_parts: Mapping[str, int]  # part maxima of that version's score sheet
    criteria_sheet: str  # where the sheet comes from
    intake: tuple[str, ...]  # levels a dossier passes before a council; the first receives it from producers
    commune_criteria: tuple[str, ...]  # criteria the commune scores (when the commune is part of the intake)
    acts: Mapping[tuple[str, str], frozenset[str]]  # (step, level) → roles that may do it
    decides: Mapping[int, str]  # stars → the level that recognises them
    forwards: Mapping[str, tuple[Decimal, str]]  # level → (minimum average, level the result goes to)
    ends: dt.date | None = field(default=None)  # last day (None: still in force); filled in below

    # .. questions about the period ..
    @property
    def levels(self) -> tuple[str, ...]:
        """Levels that act in this period, bottom up."""
        present = {level for _step, level in self.acts}
        return tuple(level for level in LEVEL_ORDER if level in present)

    @property
    def council_levels(self) -> tuple[str, ...]:
        return tuple(level for level in self.levels if (COUNCIL, level) in self.acts)

    @property
    def receiver(self) -> str:
        """The level that receives dossiers from producers."""
        return self.intake[0]

    @property
    def span(self) -> str:
        end = f" đến {self.ends:%d/%m/%Y}" if self.ends else ""
        return f"từ {self.starts:%d/%m/%Y}{end}"

    def roles_for(self, step: str, level: str) -> frozenset[str]:
        return self.acts.get((step, level), frozenset())

    def allows(self, step: str, level: str, role: str) -> bool:
        """Whether ``role`` may do ``step`` at ``level`` (the admin may do what the period provides for)."""
        roles = self.roles_for(step, level)
        return bool(roles) and (role == ADMIN or role in roles)

    def decider(self, stars: int) -> str | None:
        """The level that recognises ``stars`` (None below 3★: not an OCOP product)."""
        return self.decides.get(stars)

    def max_stars(self, level: str) -> int:
        """The highest star ``level`` recognises (0: it recognises none)."""
        return max((stars for stars, decider in self.decides.items() if decider == level), default=0)

    def forward_rule(self, level: str) -> tuple[Decimal, str] | None:
        return self.forwards.get(level)

    def instruments_on(self, day: dt.date) -> tuple[Instrument, ...]:
        return tuple(i for i in self.instruments if i.signed <= day)

    # .. refusals: the reason and the decision that says so ..
    def refusal(self, step: str, level: str, role: str) -> str | None:
        """Why ``role`` may not do ``step`` at ``level`` in this period (Vietnamese), or None when it may."""
        if self.allows(step, level, role):
            return None
        if level not in self.levels:
            return self.missing_level(level)
        roles = self.roles_for(step, level)
        what = f"{STEP_NAMES[step]} {LEVEL_NAMES[level]}" if step == COUNCIL else STEP_NAMES[step]
        if not roles:
            return f"Theo {self.decision.short} ({self.span}), {LEVEL_NAMES[level]} không {what}."
        who = ", ".join(ROLE_NAMES.get(r, r) for r in sorted(roles, key=_role_order))
        where = "" if step == COUNCIL else f" ở {LEVEL_NAMES[level]}"
        return f"Theo {self.decision.short} ({self.span}), chỉ {who} được {what}{where}."

    def missing_level(self, level: str) -> str:
        earlier = [p for p in PERIODS if p.starts < self.starts and level in p.levels]
        if earlier:
            return f"Từ {self.starts:%d/%m/%Y} không còn {LEVEL_NAMES[level]} ({self.decision.short})."
        return (
            f"Theo {self.decision.short} ({self.span}), {LEVEL_NAMES[level]} chưa tham gia đánh giá, "
            "phân hạng."
        )

    def stars_refusal(self, stars: int, level: str) -> str | None:
        """Why ``level`` may not recognise ``stars`` in this period, or None when it may."""
        decider = self.decider(stars)
        if decider == level:
            return None
        if decider is None:
            return f"Sản phẩm dưới 3 sao không được công nhận là sản phẩm OCOP ({self.decision.short})."
        if level not in self.levels:
            return self.missing_level(level)
        return (
            f"Theo {self.decision.short} ({self.span}), sản phẩm {stars} sao do {LEVEL_NAMES[decider]} "
            f"công nhận, không phải {LEVEL_NAMES[level]}."
        )


def _role_order(role: str) -> int:
    order = list(ROLE_NAMES)
    return order.index(role) if role in order else len(order)


_LOCAL_ROLES = {
    DISTRICT: DISTRICT_OFFICER,
    PROVINCE: PROVINCE_OFFICER,
    MINISTRY: MINISTRY_OFFICER,
}


def _council_level(level: str, *, decides: bool, record_also: tuple[str, ...] = ()) -> dict:
    """The acts of a level that has its own council: council, forward, return down and, when it recognises
    stars, decide / record / revoke (``record_also``: roles that may also type in or revoke its decisions)."""
    officer = _LOCAL_ROLES[level]
    acts = {
        (COUNCIL, level): _roles(officer),
        (FORWARD, level): _roles(officer),
        (RETURN_DOWN, level): _roles(officer),
    }
    if decides:
        acts[(DECIDE, level)] = _roles(officer)
        acts[(RECORD, level)] = _roles(officer, *record_also)
        acts[(REVOKE, level)] = _roles(officer, *record_also)
    return acts


def _freeze(acts: dict) -> Mapping[tuple[str, str], frozenset[str]]:
    return MappingProxyType(dict(acts))


_PARTS_1048 = MappingProxyType({"A": 35, "B": 25, "C": 40})
_PARTS_148 = MappingProxyType({"A": 40, "B": 25, "C": 35})
_DISTRICT_INTAKE = {
    (SUBMIT, DISTRICT): _roles(PRODUCER),
    (RECEIVE, DISTRICT): _roles(DISTRICT_OFFICER),
    (RETURN, DISTRICT): _roles(DISTRICT_OFFICER),
    (CHECK, DISTRICT): _roles(DISTRICT_OFFICER),
}

PERIODS: tuple[Period, ...] = (
    Period(
        code="1048/2019",
        starts=D1048.signed,
        decision=D1048,
        instruments=(D1048, D781),
        criteria_version="1048/2019",
        criteria_parts=_PARTS_1048,
        criteria_sheet="Phụ lục Quyết định 1048/QĐ-TTg (phiếu do tỉnh nạp)",
        intake=(DISTRICT,),
        commune_criteria=(),
        acts=_freeze(
            {
                **_DISTRICT_INTAKE,
                # The district council pre-scores only; it recognises nothing.
                **_council_level(DISTRICT, decides=False),
                **_council_level(PROVINCE, decides=True),
                **_council_level(MINISTRY, decides=True),
            }
        ),
        decides=MappingProxyType({3: PROVINCE, 4: PROVINCE, 5: MINISTRY}),
        forwards=MappingProxyType({DISTRICT: (Decimal(50), PROVINCE), PROVINCE: (Decimal(90), MINISTRY)}),
    ),
    Period(
        code="148/2023",
        starts=D148.signed,
        decision=D148,
        instruments=(D148,),
        criteria_version="148/2023",
        criteria_parts=_PARTS_148,
        criteria_sheet="Phụ lục III Quyết định 148/QĐ-TTg (26 bộ sản phẩm)",
        intake=(DISTRICT,),
        commune_criteria=(),
        acts=_freeze(
            {
                **_DISTRICT_INTAKE,
                # A province officer may type in (or revoke) a district's decisions: the districts are gone
                # since 01/07/2025 and their records are kept by the province.
                **_council_level(DISTRICT, decides=True, record_also=(PROVINCE_OFFICER,)),
                **_council_level(PROVINCE, decides=True),
                **_council_level(MINISTRY, decides=True),
            }
        ),
        decides=MappingProxyType({3: DISTRICT, 4: PROVINCE, 5: MINISTRY}),
        forwards=MappingProxyType({DISTRICT: (Decimal(70), PROVINCE), PROVINCE: (Decimal(90), MINISTRY)}),
    ),
    Period(
        code="1489/2025",
        starts=REFORM_DATE,
        decision=D1489,
        instruments=(D148, D1489),
        criteria_version="148/2023",
        criteria_parts=_PARTS_148,
        criteria_sheet="Phụ lục III Quyết định 148/QĐ-TTg (26 bộ sản phẩm)",
        intake=(COMMUNE, PROVINCE),
        # Origin of the product / raw material, origin of the idea, local labour, local identity of the story.
        commune_criteria=("A1.a", "A2.a", "A3.c", "B5.b"),
        acts=_freeze(
            {
                (SUBMIT, COMMUNE): _roles(PRODUCER),
                (ASSESS, COMMUNE): _roles(COMMUNE_OFFICER),
                (PROPOSE, COMMUNE): _roles(COMMUNE_OFFICER),
                (RETURN, COMMUNE): _roles(COMMUNE_OFFICER),
                (RECEIVE, PROVINCE): _roles(PROVINCE_OFFICER),
                (RETURN, PROVINCE): _roles(PROVINCE_OFFICER),
                (CHECK, PROVINCE): _roles(PROVINCE_OFFICER),
                **_council_level(PROVINCE, decides=True),
                **_council_level(MINISTRY, decides=True),
            }
        ),
        decides=MappingProxyType({3: PROVINCE, 4: PROVINCE, 5: MINISTRY}),
        forwards=MappingProxyType({PROVINCE: (Decimal(90), MINISTRY)}),
    ),
)
# Each period ends the day before the next one starts.
PERIODS = tuple(
    Period(**{**vars(period), "ends": following.starts - dt.timedelta(days=1) if following else None})
    for period, following in zip(PERIODS, (*PERIODS[1:], None), strict=True)
)
_STARTS = [p.starts for p in PERIODS]
CURRENT_CRITERIA_VERSION = PERIODS[-1].criteria_version
# Part maxima of every criteria version the table knows (an evaluation keeps the version it used).
CRITERIA_VERSIONS: Mapping[str, Mapping[str, int]] = MappingProxyType(
    {p.criteria_version: p.criteria_parts for p in PERIODS}
)


def period_on(day: dt.date) -> Period:
    """The period in force on ``day``; NoPeriod (with a Vietnamese message) before 21/08/2019."""
    index = bisect.bisect_right(_STARTS, day) - 1
    if index < 0:
        first = PERIODS[0]
        raise NoPeriod(
            f"Ngày {day:%d/%m/%Y} trước {first.decision.short} ({first.starts:%d/%m/%Y}): chưa có quy trình "
            "đánh giá, phân hạng sản phẩm OCOP quốc gia để áp dụng."
        )
    return PERIODS[index]


def who_recognises() -> list[str]:
    """One line per period: which level recognises which stars ("Quyết định 148/QĐ-TTg (từ … đến …): 3 sao —
    cấp huyện; 4 sao — cấp tỉnh; 5 sao — cấp trung ương")."""
    return [
        f"{p.decision.short} ({p.span}): "
        + "; ".join(f"{stars} sao — {LEVEL_NAMES[level]}" for stars, level in sorted(p.decides.items()))
        for p in PERIODS
    ]


def periods_in_year(year: int) -> tuple[Period, ...]:
    """The periods in force on some day of ``year``, oldest first."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return tuple(p for p in PERIODS if p.starts <= last and (p.ends is None or p.ends >= first))
