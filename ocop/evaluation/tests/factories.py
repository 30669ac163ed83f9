"""Building dossiers, councils and members' sheets for tests (real database, no mocks)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from ocop import testing
from ocop.accounts.roles import Role
from ocop.evaluation.choices import CouncilLevel, MemberRole
from ocop.evaluation.criteria import Sheet
from ocop.evaluation.scoring import score_member
from ocop.evaluation.services import councils, dossiers

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


def submitted_dossier(world, *, product=None, producer=None):
    producer = producer or world.users.producer
    dossier = dossiers.dossier_create(
        user=producer, product=product or world.products.mien, year=2026, round_number=1, kind="new"
    )
    sheet = dossier.criteria_version.sheet
    for code, option in list(best_choices(sheet).items())[:5]:
        dossiers.dossier_choose(user=producer, dossier=dossier, code=code, option=option)
    dossiers.dossier_submit(user=producer, dossier=dossier)
    dossier.refresh_from_db()
    return dossier


def council_with_members(
    world, *, count: int = 3, level: str = CouncilLevel.PROVINCE, date=None, first=None, prefix="hoidong"
):
    officer = world.users.province
    council = councils.council_create(
        user=officer, level=level, year=2026, round_number=1, name="Hội đồng OCOP tỉnh đợt 1/2026"
    )
    members = [first or world.users.council] + [
        testing.make_user(Role.COUNCIL_MEMBER, username=f"{prefix}-{i}") for i in range(2, count + 1)
    ]
    for index, user in enumerate(members):
        role = MemberRole.CHAIR if index == 0 else MemberRole.MEMBER
        councils.council_member_add(user=officer, council=council, member_user=user, role=role)
    session = councils.session_create(user=officer, council=council, date=date or dt.date(2026, 5, 10))
    return SimpleNamespace(council=council, members=members, session=session, officer=officer)


def evaluation_in_council(world, *, count: int = 3):
    dossier = submitted_dossier(world)
    setup = council_with_members(world, count=count)
    dossiers.dossier_receive(user=setup.officer, dossier=dossier)
    dossier.refresh_from_db()
    evaluation = councils.evaluation_open(user=setup.officer, dossier=dossier, session=setup.session)
    return SimpleNamespace(evaluation=evaluation, dossier=dossier, **vars(setup))


def score_all(evaluation, members, choices_per_member) -> None:
    for user, choices in zip(members, choices_per_member, strict=True):
        for code, option in choices.items():
            councils.score_choose(user=user, evaluation=evaluation, code=code, option=option)
        councils.score_submit(user=user, evaluation=evaluation)
    evaluation.refresh_from_db()
