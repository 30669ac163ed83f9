"""Reads of inspections after recognition, scoped like the rest.

* ``plan_list`` — plans of the provinces a user may pick on the dashboard (province officers and admins;
  ``targets.selectors.stats_units_for``).
* ``inspection_list`` — ``Inspection.objects.for_user``: district/commune officers see their area's,
  producers their own products'.
* ``overdue_inspections`` — not yet carried out and past their due date: the province officer's task list.
* ``inspection_kpi`` — the share of a unit's products in force on D that were inspected (``inspected_on``) in
  D's year, on or before D.
* ``products_due`` — products in force (in a plan's province, on the plan's year end or today if sooner)
  whose current certificate has no inspection, planned or done, within its validity: each certificate gets
  at least one inspection in its lifetime.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from ocop.certification.models import Certificate
from ocop.certification.selectors import not_ended_on
from ocop.geography.models import AdminUnit
from ocop.products.models import Product
from ocop.targets.selectors import UnitHistory, percent_of, stats_units_for

from .models import Inspection, InspectionPlan

if TYPE_CHECKING:
    from ocop.accounts.models import User


def plan_list(*, user: User) -> QuerySet[InspectionPlan]:
    plans = InspectionPlan.objects.select_related("province")
    if user.is_admin_role:
        return plans
    from ocop.accounts.roles import Role

    if user.role != Role.PROVINCE_OFFICER:
        return plans.none()
    return plans.filter(province__in=stats_units_for(user).filter(level="province"))


def plan_get(*, user: User, pk: int) -> InspectionPlan:
    return plan_list(user=user).get(pk=pk)


def inspection_list(
    *, user: User, year: int | None = None, state: str = "", today: dt.date | None = None
) -> QuerySet[Inspection]:
    qs = Inspection.objects.for_user(user).select_related(
        "plan", "product", "product__entity", "product__commune__successor", "revocation"
    )
    if year:
        qs = qs.filter(plan__year=year)
    today = today or dt.date.today()
    if state == "overdue":
        qs = qs.filter(inspected_on__isnull=True, due_date__lt=today)
    elif state == "planned":
        qs = qs.filter(inspected_on__isnull=True)
    elif state == "done":
        qs = qs.filter(inspected_on__isnull=False)
    return qs.order_by("due_date", "id")


def overdue_inspections(*, user: User, today: dt.date | None = None) -> QuerySet[Inspection]:
    """Inspections in the user's scope not carried out by their due date (the work queue's entry)."""
    return inspection_list(user=user, state="overdue", today=today)


def in_force_product_ids(history: UnitHistory, day: dt.date) -> list[int]:
    from ocop.targets.progress import in_force_products

    return in_force_products(history, day)


def inspection_kpi(history: UnitHistory, day: dt.date) -> dict[str, Any]:
    """Products of the unit in force on ``day`` and how many of them were inspected in ``day``'s year."""
    from ocop.targets.selectors import counted_communes

    in_force = in_force_product_ids(history, day)
    inspected_in_year = Inspection.objects.filter(
        product__commune_id__in=list(counted_communes(history.unit)),
        inspected_on__year=day.year,
        inspected_on__lte=day,
    )  # one query, even when nothing is in force
    inspected = set(inspected_in_year.values_list("product_id", flat=True)) & set(in_force)
    return {
        "in_force": len(in_force),
        "inspected": len(inspected),
        "percent": percent_of(len(inspected), len(in_force)) if in_force else 0.0,
    }


def year_figures(history: UnitHistory, year: int, day: dt.date) -> dict[str, Any]:
    """The report's line on inspections: planned and done in ``year`` (by ``day``), by verdict, revocations
    that followed, overdue on ``day``, and the KPI."""
    from ocop.geography.selectors import commune_ids_covered_by

    from .choices import Verdict

    communes = list(commune_ids_covered_by(history.unit).values_list("id", flat=True))
    planned = Inspection.objects.filter(plan__year=year, product__commune_id__in=communes)
    done = planned.filter(inspected_on__isnull=False, inspected_on__lte=day)
    verdicts = {key: done.filter(verdict=key).count() for key in Verdict.values}
    return {
        "planned": planned.count(),
        "done": done.count(),
        "by_verdict": verdicts,
        "revocations": done.filter(revocation__isnull=False).count(),
        "overdue": planned.filter(inspected_on__isnull=True, due_date__lt=day).count(),
        "kpi": inspection_kpi(history, day),
    }


def products_due(*, user: User, plan: InspectionPlan, day: dt.date | None = None) -> list[Certificate]:
    """Certificates in force in the plan's province on ``day`` (default: the plan's year end, or today if
    sooner) with no inspection of their product dated within their validity (planned: by due date)."""
    from ocop.geography.selectors import commune_ids_covered_by

    day = day or min(dt.date(plan.year, 12, 31), dt.date.today())
    communes = commune_ids_covered_by(plan.province)
    certificates = (
        Certificate.objects.for_user(user)
        .filter(product__commune_id__in=communes, valid_from__lte=day, valid_to__gte=day)
        .filter(not_ended_on(day))
        .select_related("product", "product__entity", "product__commune")
        .order_by("valid_to", "id")
    )
    due = []
    for certificate in certificates:
        seen = Inspection.objects.filter(product_id=certificate.product_id).filter(
            Q(inspected_on__range=(certificate.valid_from, certificate.valid_to))
            | Q(inspected_on__isnull=True, due_date__range=(certificate.valid_from, certificate.valid_to))
        )
        if not seen.exists():
            due.append(certificate)
    return due


def products_for_plan(*, user: User) -> QuerySet[Product]:
    return Product.objects.for_user(user, "change").select_related("entity").order_by("name_key", "id")


def unit_for_kpi(*, user: User, unit: AdminUnit | None) -> AdminUnit | None:
    if unit is not None:
        return unit
    return None if user.is_admin_role else user.unit
