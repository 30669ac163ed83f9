"""The periods table asked on behalf of a user: a refusal becomes a ValidationError naming the rule.

Services call ``authorise`` with the date of the act (submission, session, decision, letter), never
today's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from .periods import ADMIN, NoPeriod, Period, period_on


def role_of(user: Any) -> str:
    """The user's role as the table spells it (superusers act as the admin)."""
    return ADMIN if getattr(user, "is_admin_role", False) else str(getattr(user, "role", ""))


def period_for(day: dt.date) -> Period:
    try:
        return period_on(day)
    except NoPeriod as exc:
        raise ValidationError(str(exc)) from exc


def authorise(user: Any, *, step: str, level: str, day: dt.date) -> Period:
    """The period of ``day`` when it lets the user do ``step`` at ``level``; else ValidationError with the
    reason and the decision that says so."""
    period = period_for(day)
    problem = period.refusal(step, level, role_of(user))
    if problem:
        raise ValidationError(problem)
    return period
