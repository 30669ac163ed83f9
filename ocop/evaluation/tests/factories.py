"""Building dossiers, councils and members' sheets for tests (real database, no mocks)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from ocop import testing
from ocop.accounts.roles import Role
from ocop.evaluation.choices import CouncilLevel, MemberRole
from ocop.evaluation.criteria import Sheet
from ocop.evaluation.scoring import score_member
from ocop.evaluation.services import councils, dossiers, intake, scoring

from .helpers import best_choices


def choices_near(sheet: Sheet, target: int, *, drop: tuple[str, ...] = ()) -> dict[str, int]:
    """Best choices without the ``drop`` codes, then unmarked criteria lowered to their lowest option
    until the total is at most ``target``."""
    choices = {k: v for k, v in best_choices(sheet).items() if k not in drop}
    for crit in sheet.criteria:
        if score_member(sheet, choices).total <= target:
            break
        if crit.code in choices and not crit.marks():
            lowest = min(crit.options, key=lambda o: o.points)
            choices[crit.code] = lowest.number
    return choices


def submitted_dossier(world, *, product=None, producer=None, submitted_on: dt.date | None = None):
    """A dossier submitted by the producer (``submitted_on``: as if submitted that day, for the flows of
    earlier periods)."""
    from django.utils import timezone

    from ocop.evaluation.models import Dossier

    producer = producer or world.users.producer
    dossier = dossiers.dossier_create(
        user=producer, product=product or world.products.mien, year=2026, round_number=1, kind="new"
    )
    sheet = dossier.criteria_version.sheet
    for code, option in list(best_choices(sheet).items())[:5]:
        dossiers.dossier_choose(user=producer, dossier=dossier, code=code, option=option)
    dossiers.dossier_submit(user=producer, dossier=dossier, accept_missing=True)
    if submitted_on is not None:
        moment = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(9)))
        Dossier.objects.filter(pk=dossier.pk).update(submitted_at=moment, created_at=moment)
    dossier.refresh_from_db()
    return dossier


def commune_scores(world, dossier, *, user=None):
    """The commune officer scores the commune's criteria (best options) and proposes the dossier."""
    from ocop.evaluation.flow import commune_criteria, dossier_period

    officer = user or world.users.commune
    if not type(dossier).objects.for_user(officer, "change").filter(pk=dossier.pk).exists():
        commune = dossier.commune.successor or dossier.commune
        officer = testing.make_user(Role.COMMUNE_OFFICER, unit=commune, username=f"xa-{commune.code}")
    for crit in commune_criteria(dossier, dossier_period(dossier)):
        best = max(crit.options, key=lambda o: o.points)
        intake.commune_choose(user=officer, dossier=dossier, code=crit.code, option=best.number)
    intake.dossier_propose(
        user=officer, dossier=dossier, note="Sản phẩm đặc trưng của xã, đề nghị tỉnh đánh giá."
    )
    dossier.refresh_from_db()
    return dossier


def checked_dossier(world, *, product=None, producer=None, receiver=None):
    """Submitted in the two-level flow: proposed by the commune, received and checked by the province."""
    dossier = commune_scores(world, submitted_dossier(world, product=product, producer=producer))
    officer = receiver or world.users.province
    intake.dossier_receive(user=officer, dossier=dossier)
    intake.dossier_check(user=officer, dossier=dossier, note="Hồ sơ đủ thành phần.")
    dossier.refresh_from_db()
    return dossier


def council_with_members(
    world,
    *,
    count: int = 3,
    level: str = CouncilLevel.PROVINCE,
    date=None,
    first=None,
    prefix="hoidong",
    officer=None,
    present: int | None = None,
):
    """A council with a chair and ``count - 1`` members and one session whose attendance is recorded
    (``present``: how many of them attended, the chair first; all by default)."""
    officer = (
        officer
        or {
            CouncilLevel.PROVINCE: world.users.province,
            CouncilLevel.DISTRICT: world.users.district,
            CouncilLevel.MINISTRY: getattr(world.users, "ministry", None),
        }[level]
    )
    date = date or dt.date(2026, 5, 10)
    council = councils.council_create(
        user=officer,
        level=level,
        year=date.year,
        round_number=1,
        name=f"Hội đồng OCOP {level} đợt 1/{date.year}",
    )
    members = [first or world.users.council] + [
        testing.make_user(Role.COUNCIL_MEMBER, username=f"{prefix}-{i}") for i in range(2, count + 1)
    ]
    seats = []
    for index, user in enumerate(members):
        role = MemberRole.CHAIR if index == 0 else MemberRole.MEMBER
        seats.append(councils.council_member_add(user=officer, council=council, member_user=user, role=role))
    session = councils.session_create(user=officer, council=council, date=date)
    attending = seats if present is None else seats[:present]
    councils.session_attendance_record(user=officer, session=session, members=attending)
    session.refresh_from_db()
    return SimpleNamespace(council=council, members=members, session=session, officer=officer, seats=seats)


def evaluation_in_council(world, *, count: int = 3):
    dossier = checked_dossier(world)
    setup = council_with_members(world, count=count)
    evaluation = councils.evaluation_open(user=setup.officer, dossier=dossier, session=setup.session)
    return SimpleNamespace(evaluation=evaluation, dossier=dossier, **vars(setup))


def completed(sheet: Sheet, choices: dict[str, int]) -> dict[str, int]:
    """``choices`` with every criterion left out answered "no option applies" (0 points, as a missing code
    scores): a sheet is submitted only complete."""
    from ocop.evaluation.scoring import NONE_APPLIES, unanswered

    return {**choices, **{crit.code: NONE_APPLIES for crit in unanswered(sheet, choices)}}


def score_all(evaluation, members, choices_per_member) -> None:
    """Each member scores (``choices`` completed with "no option applies") and submits."""
    sheet = evaluation.dossier.criteria_version.sheet
    for user, choices in zip(members, choices_per_member, strict=True):
        for code, option in completed(sheet, choices).items():
            scoring.score_choose(user=user, evaluation=evaluation, code=code, option=option)
        scoring.score_submit(user=user, evaluation=evaluation)
    evaluation.refresh_from_db()
