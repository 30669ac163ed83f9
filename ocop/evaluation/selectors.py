"""Reads, always through the scoping chokepoint (Model.objects.for_user)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from ocop.accounts.roles import Role

from .choices import CouncilLevel, DossierStatus
from .criteria import Criterion, Sheet
from .models import CommuneAssessment, Council, Dossier, DossierSubmission, Evaluation, ProductIdea, Session
from .review import dom_id
from .scoring import NONE_APPLIES

if TYPE_CHECKING:
    from ocop.accounts.models import User


def idea_list(*, user: User) -> QuerySet[ProductIdea]:
    return ProductIdea.objects.for_user(user).select_related("entity", "commune", "product_set")


HEAVY = ("criteria_version__content", "criteria_version__source_text")


def dossier_list(*, user: User) -> QuerySet[Dossier]:
    return (
        Dossier.objects.for_user(user)
        .select_related("product", "entity", "commune", "criteria_version")
        .defer(*HEAVY)
    )


def dossiers_to_receive(*, user: User) -> QuerySet[Dossier]:
    """What the province takes in: dossiers its communes proposed (two-level flow) and results a district
    council proposed to it — not what the province itself proposed on to the ministry."""
    proposed_to_province = Q(status=DossierStatus.FORWARDED, at_ministry=False)
    return dossier_list(user=user).filter(Q(status=DossierStatus.PRE_ASSESSED) | proposed_to_province)


def evaluation_list(*, user: User) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.for_user(user)
        .select_related(
            "dossier__product", "dossier__entity", "dossier__criteria_version", "session__council"
        )
        .defer(*(f"dossier__{name}" for name in HEAVY))
    )


def council_list(*, user: User) -> QuerySet[Council]:
    """Officers manage the councils of their unit (and of the districts within it); members see theirs."""
    qs = Council.objects.all()
    if user.is_admin_role:
        return qs
    if user.role in {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER} and user.unit_id:
        return qs.filter(
            Q(unit=user.unit) | Q(unit__parent=user.unit) | Q(unit__province=user.unit) | Q(created_by=user)
        ).distinct()
    if user.role == Role.COUNCIL_MEMBER:
        return qs.filter(members__user=user).distinct()
    if user.role == Role.MINISTRY_OFFICER:
        return qs.filter(level=CouncilLevel.MINISTRY)
    return qs.none()


def sessions_for_dossier(*, user: User, dossier: Dossier) -> QuerySet[Session]:
    """Sessions of the user's councils where the dossier may go now: the level that received and checked it,
    or the level it was proposed to."""
    from .flow import dossier_period, forwarded_evaluation

    if dossier.status == DossierStatus.CHECKED:
        level = dossier_period(dossier).intake[-1]
    elif dossier.status == DossierStatus.FORWARDED:
        lower = forwarded_evaluation(dossier)
        level = lower.forwarded_to if lower else ""
    else:
        return Session.objects.none()
    return (
        Session.objects.filter(council__in=council_list(user=user), council__level=level)
        .select_related("council")
        .order_by("-date", "-id")
    )


def commune_assessment_of(*, user: User, dossier: Dossier) -> CommuneAssessment | None:
    return CommuneAssessment.objects.for_user(user).filter(dossier=dossier).first()


def session_list(*, user: User) -> QuerySet[Session]:
    """Sessions whose minutes the user may read: of the councils they run or sit on, or holding a dossier they
    may see (the ministry reads the province's minutes of what was proposed to it)."""
    visible = evaluation_list(user=user).values("session_id")
    return Session.objects.filter(Q(council__in=council_list(user=user)) | Q(pk__in=visible)).distinct()


def forwarded_list(*, user: User) -> QuerySet[Evaluation]:
    """Results proposed to a level above with a letter, as the user may see them."""
    return evaluation_list(user=user).exclude(forward_number="").select_related("dossier__product__commune")


@dataclass
class Row:
    crit: Criterion
    dom: str
    chosen: int | None = None
    self_choice: int | None = None
    evidence: list[Any] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)
    average: object = None
    commune_choice: int | None = None  # the commune's option (two-level flow), shown to the council

    @property
    def commune_points(self) -> int | None:
        if self.commune_choice is None or not 1 <= self.commune_choice <= len(self.crit.options):
            return None
        return self.crit.option(self.commune_choice).points

    @property
    def self_points(self) -> int | None:
        if self.self_choice is None or not 1 <= self.self_choice <= len(self.crit.options):
            return None
        return self.crit.option(self.self_choice).points


@dataclass
class GroupRows:
    code: str
    title: str
    max_points: int | None
    knockout_note: str | None
    rows: list[Row]


@dataclass
class PartRows:
    letter: str
    title: str
    max_points: int | None
    groups: list[GroupRows]


def answer_of(choices: dict[str, Any], code: str) -> int | None:
    """The option answered for ``code``: its number, 0 for "no option applies" (stored as None), None when
    not answered."""
    if code in choices and choices[code] is None:
        return NONE_APPLIES
    value = choices.get(code)
    return value if isinstance(value, int) else None


def sheet_rows(
    sheet: Sheet,
    *,
    choices: dict[str, int] | None = None,
    self_assessment: dict[str, int] | None = None,
    links: Iterable[Any] = (),
    requests: Iterable[Any] = (),
    averages: dict[str, Any] | None = None,
    commune: dict[str, Any] | None = None,
) -> list[PartRows]:
    """The sheet as parts → groups → rows, each row with what the page shows beside the criterion."""
    evidence = defaultdict(list)
    for link in links:
        evidence[link.criterion_code].append(link)
    asked = defaultdict(list)
    for req in requests:
        asked[req.criterion_code].append(req)
    choices, self_assessment, averages = choices or {}, self_assessment or {}, averages or {}
    commune = commune or {}
    return [
        PartRows(
            part.letter,
            part.title,
            part.max_points,
            [
                GroupRows(
                    group.code,
                    group.title,
                    group.max_points,
                    group.knockout_note,
                    [
                        Row(
                            crit,
                            dom_id(crit.code),
                            answer_of(choices, crit.code),
                            answer_of(self_assessment, crit.code),
                            evidence.get(crit.code, []),
                            asked.get(crit.code, []),
                            averages.get(crit.code),
                            answer_of(commune, crit.code),
                        )
                        for crit in group.criteria
                    ],
                )
                for group in part.groups
            ],
        )
        for part in sheet.parts.values()
    ]


@dataclass
class SubmittedCriterion:
    """One criterion of a submitted dossier next to the previous submission's answer."""

    code: str
    title: str
    option: str  # "2. Có nhãn hiệu … (3 điểm)" or ""
    previous_option: str
    evidence: list[dict[str, Any]]
    previous_evidence: list[dict[str, Any]]

    @property
    def changed(self) -> bool:
        titles = [e["title"] for e in self.evidence]
        return self.option != self.previous_option or titles != [e["title"] for e in self.previous_evidence]


def _option_label(criterion: Criterion, number: int | None, answered: bool = False) -> str:
    if number is None:
        return "Không đạt phương án nào (0 điểm)" if answered else ""
    try:
        option = criterion.option(number)
    except (KeyError, IndexError, ValueError):
        return f"Lựa chọn {number} (không còn trong phiếu)"
    return f"{option.number}. {option.text} ({option.points} điểm)"


def submission_compare(
    submission: DossierSubmission, previous: DossierSubmission | None, sheet: Sheet
) -> list[SubmittedCriterion]:
    """Every criterion answered or evidenced in this submission or the previous one, in sheet order."""
    now, before = submission.snapshot, previous.snapshot if previous else {}
    evidence_now, evidence_before = defaultdict(list), defaultdict(list)
    for item in now.get("evidence", []):
        evidence_now[item["criterion"]].append(item)
    for item in before.get("evidence", []):
        evidence_before[item["criterion"]].append(item)
    chosen_now = now.get("self_assessment", {})
    chosen_before = before.get("self_assessment", {})
    rows = []
    for criterion in sheet.criteria:
        code = criterion.code
        if not any(code in d for d in (chosen_now, chosen_before, evidence_now, evidence_before)):
            continue
        rows.append(
            SubmittedCriterion(
                code=code,
                title=criterion.title,
                option=_option_label(criterion, chosen_now.get(code), code in chosen_now),
                previous_option=(
                    _option_label(criterion, chosen_before.get(code), code in chosen_before)
                    if previous
                    else ""
                ),
                evidence=evidence_now.get(code, []),
                previous_evidence=evidence_before.get(code, []) if previous else [],
            )
        )
    return rows
