"""Where a dossier stands in the flow of its legal period (ocop.legal.periods), read from the records.

A dossier follows the period of its (latest) submission: before 01/07/2025 the district receives it and puts
it before its council; from then the commune scores its criteria and proposes it to the province, which
receives it. Later steps follow their own dates (a session's, a decision's, a letter's). No writes here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from ocop.legal.authority import period_for
from ocop.legal.periods import Period

from .choices import DossierStatus, EvaluationStatus

if TYPE_CHECKING:
    from .criteria import Criterion
    from .models import Dossier, Evaluation

AT_RECEIVER = {DossierStatus.SUBMITTED, DossierStatus.RESUBMITTED}
AT_LAST_INTAKE = {DossierStatus.PRE_ASSESSED, DossierStatus.RECEIVED, DossierStatus.CHECKED}


def submission_day(dossier: Dossier) -> dt.date:
    """The date of the dossier's latest submission (a draft: the day it was created)."""
    moment = dossier.submitted_at or dossier.created_at or timezone.now()
    return timezone.localdate(moment)


def dossier_period(dossier: Dossier) -> Period:
    return period_for(submission_day(dossier))


def holding_level(dossier: Dossier, period: Period) -> str | None:
    """The level that holds the dossier before any council: the receiver after a submission, the last level
    of the intake once the commune has proposed it (two-level flow) or the receiver has taken it in."""
    if dossier.status in AT_RECEIVER:
        return period.intake[0]
    if dossier.status in AT_LAST_INTAKE:
        return period.intake[-1]
    return None


def awaits_receipt(dossier: Dossier, period: Period) -> bool:
    """Whether the last level of the intake may now take the dossier in."""
    if len(period.intake) > 1:
        return dossier.status == DossierStatus.PRE_ASSESSED
    return dossier.status in AT_RECEIVER


def commune_criteria(dossier: Dossier, period: Period) -> list[Criterion]:
    """The criteria of the dossier's sheet that the commune scores in this period, in sheet order."""
    wanted = set(period.commune_criteria)
    return [crit for crit in dossier.criteria_version.sheet.criteria if crit.code in wanted]


def forwarded_evaluation(dossier: Dossier, *, to_level: str | None = None) -> Evaluation | None:
    """The dossier's latest result proposed to the level above (to ``to_level`` when given)."""
    qs = dossier.evaluations.filter(status=EvaluationStatus.FORWARDED)
    if to_level:
        qs = qs.filter(forwarded_to=to_level)
    return qs.select_related("session__council").order_by("-session__date", "-id").first()
