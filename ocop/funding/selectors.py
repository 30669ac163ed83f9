"""Reads of support policies and grants.

* ``policy_list`` — policies of the provinces a user may pick on the dashboard (officers of the province and
  its districts/communes see their province's policies; admins all).
* ``grant_list`` — ``Grant.objects.for_user`` (officers their area's, producers their own).
* ``grant_totals`` — for a unit and a year (up to a day): total paid, number of grants and of entities, by
  policy and by commune (the commune a grant's entity is counted in: its own, or for a 2025 unit the
  successor of an old commune).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from ocop.accounts.roles import OFFICER_ROLES
from ocop.geography.models import AdminUnit
from ocop.targets.selectors import counted_communes

from .models import Grant, Policy, PolicyItem

if TYPE_CHECKING:
    from ocop.accounts.models import User


def _provinces_of(user: User) -> QuerySet[AdminUnit]:
    from ocop.targets.selectors import stats_units_for

    unit = user.unit
    if unit is None:
        return AdminUnit.objects.none()
    if unit.level == "province":
        return stats_units_for(user).filter(level="province")
    if unit.province_id is None:
        return AdminUnit.objects.none()
    return AdminUnit.objects.filter(pk=unit.province_id)


def policy_list(*, user: User) -> QuerySet[Policy]:
    policies = Policy.objects.select_related("province").prefetch_related("items")
    if user.is_admin_role:
        return policies
    if user.role not in OFFICER_ROLES:
        return policies.none()
    return policies.filter(province__in=_provinces_of(user))


def items_for(*, user: User) -> QuerySet[PolicyItem]:
    return PolicyItem.objects.filter(policy__in=policy_list(user=user)).select_related("policy")


def grant_list(*, user: User, year: int | None = None, policy: int | None = None) -> QuerySet[Grant]:
    qs = Grant.objects.for_user(user).select_related(
        "item", "item__policy", "entity", "entity__commune", "product"
    )
    if year:
        qs = qs.filter(paid_on__year=year)
    if policy:
        qs = qs.filter(item__policy_id=policy)
    return qs


def grant_totals(unit: AdminUnit, year: int, *, day: dt.date | None = None) -> dict[str, Any]:
    """Grants paid in ``year`` (up to ``day``) to entities of ``unit``."""
    day = day or dt.date(year, 12, 31)
    counted = counted_communes(unit)
    rows = list(
        Grant.objects.filter(entity__commune_id__in=list(counted))
        .filter(Q(paid_on__year=year) & Q(paid_on__lte=day))
        .values_list(
            "amount_vnd", "entity_id", "entity__commune_id", "item__policy__number", "item__policy__title"
        )
    )
    by_policy: dict[str, dict[str, Any]] = {}
    by_commune: dict[int, int] = defaultdict(int)
    for amount, _entity, commune, number, title in rows:
        entry = by_policy.setdefault(number, {"number": number, "title": title, "amount_vnd": 0, "grants": 0})
        entry["amount_vnd"] += amount
        entry["grants"] += 1
        by_commune[counted[commune]] += amount
    names = dict(AdminUnit.objects.filter(pk__in=list(by_commune)).values_list("id", "name"))
    return {
        "year": year,
        "amount_vnd": sum(r[0] for r in rows),
        "grants": len(rows),
        "entities": len({r[1] for r in rows}),
        "by_policy": sorted(by_policy.values(), key=lambda e: (-e["amount_vnd"], e["number"])),
        "by_commune": sorted(
            ({"commune": names[pk], "amount_vnd": amount} for pk, amount in by_commune.items()),
            key=lambda e: (-e["amount_vnd"], e["commune"]),
        ),
    }
