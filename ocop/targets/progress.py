"""Progress of targets as of any day: every metric of choices.Metric, for a province, a district or a commune.

``actual`` is counted as of min(day, deadline) — the period metrics from the target's start to that day:

* recognition metrics (``HISTORY_METRICS``) from the unit's recognition history (selectors.UnitHistory, the
  dashboard's rules). An upgrade counts as a step by the stars it reaches: ``upgraded_to_4_in_period`` is
  an upgrade to 4★ (from 3★), ``upgraded_to_5_in_period`` an upgrade to 5★ (from 4★, or a jump from 3★);
* ``trainees_in_period`` — learners of training courses starting within the period (support records);
* ``products_on_ecommerce`` / ``points_of_sale`` — the support KPIs of the same names on that day;
* ``products_with_stamps`` — products in force on that day with an active stamp batch (E-stamp coverage).

Records count for a unit as everywhere else: through the communes its officers cover
(``geography.selectors.commune_ids_covered_by``), and products through their counted-in commune.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ocop.geography.models import AdminUnit
from ocop.geography.selectors import commune_ids_covered_by, communes_of

from .choices import HISTORY_METRICS, PERIOD_METRICS, Metric
from .models import Target
from .selectors import UnitHistory, counted_communes, history_load, percent_of


class Histories:
    """Each unit's history loaded once per request, whatever number of targets it has. ``preloaded`` (e.g.
    the one-day ``latest.LatestLines`` of `ocop stats`) answers the recognition metrics of its unit; what
    needs every event (stamp coverage) loads the full history."""

    def __init__(self, *, preloaded: UnitHistory | None = None) -> None:
        self._by_unit: dict[int, UnitHistory] = {}
        if preloaded is not None:
            self._by_unit[preloaded.unit.pk] = preloaded

    def of(self, unit: AdminUnit) -> UnitHistory:
        if unit.pk not in self._by_unit:
            self._by_unit[unit.pk] = history_load(unit)
        return self._by_unit[unit.pk]

    def full(self, unit: AdminUnit) -> UnitHistory:
        history = self.of(unit)
        if not history.holds_events:
            history = self._by_unit[unit.pk] = history_load(unit)
        return history


def in_force_products(history: UnitHistory, day: dt.date) -> list[int]:
    """Ids of the unit's products whose certificate is in force on ``day``."""
    cut = history._cut(day)
    latest: dict[int, int] = {}
    for index in range(cut):
        latest[history.events[index][0]] = index
    from .selectors import _line_state

    in_force = []
    for product_id, index in latest.items():
        _pid, date, kind, stars = history.events[index]
        if _line_state(date, kind, stars).in_force(day):
            in_force.append(product_id)
    return in_force


def stamp_coverage(history: UnitHistory, day: dt.date) -> dict[str, Any]:
    """E-stamp coverage: in-force products, those with an active stamp batch, and the share (1 decimal)."""
    from ocop.traceability.selectors import products_with_active_stamps

    in_force = in_force_products(history, day)
    registered_in = list(counted_communes(history.unit))
    stamped = products_with_active_stamps(commune_ids=registered_in, day=day) & set(in_force)
    return {
        "in_force": len(in_force),
        "with_stamps": len(stamped),
        "percent": percent_of(len(stamped), len(in_force)) if in_force else 0.0,
        "product_ids": stamped,
    }


def stamp_coverage_by_commune(history: UnitHistory, day: dt.date) -> dict[str, Any]:
    """E-stamp coverage on ``day``: the unit's share and each commune's (in force, with stamps, percent)."""
    coverage = stamp_coverage(history, day)
    by_commune: dict[int, list[int]] = {}
    for product_id in in_force_products(history, day):
        counts = by_commune.setdefault(history.products[product_id].commune_id, [0, 0])
        counts[0] += 1
        counts[1] += product_id in coverage["product_ids"]
    names = dict(communes_of(history.unit).values_list("id", "name"))  # one query, even when none is counted
    rows = [
        {"commune": names[pk], "in_force": n, "with_stamps": s, "percent": percent_of(s, n)}
        for pk, (n, s) in by_commune.items()
    ]
    return {
        "in_force": coverage["in_force"],
        "with_stamps": coverage["with_stamps"],
        "percent": coverage["percent"],
        "by_commune": sorted(rows, key=lambda row: row["commune"]),
    }


def metric_actual(metric: str, *, unit: AdminUnit, start: dt.date, day: dt.date, histories: Histories) -> int:
    """The figure a target of ``metric`` for ``unit`` reaches on ``day`` (period metrics: since ``start``)."""
    if metric in HISTORY_METRICS:
        history = histories.of(unit)
        if metric == Metric.UPGRADED_TO_4_IN_PERIOD:
            return history.upgrades_between(start, day, to_stars=4)
        if metric == Metric.UPGRADED_TO_5_IN_PERIOD:
            return history.upgrades_between(start, day, to_stars=5)
        return history.metric(metric, start=start, day=day)
    if metric == Metric.PRODUCTS_WITH_STAMPS:
        return stamp_coverage(histories.full(unit), day)["with_stamps"]
    from ocop.support import selectors as support

    communes = list(commune_ids_covered_by(unit).values_list("id", flat=True))
    if metric == Metric.TRAINEES_IN_PERIOD:
        return support.trainees_between(communes, start, day)
    if metric == Metric.PRODUCTS_ON_ECOMMERCE:
        return support.ecommerce_products(communes, day)
    if metric == Metric.POINTS_OF_SALE:
        return support.open_points_of_sale(communes, day)
    raise ValueError(f"Chỉ tiêu không hỗ trợ: {metric}")


def progress_row(target: Target, day: dt.date, histories: Histories) -> dict[str, Any]:
    """One target with ``actual`` as of min(day, deadline) and ``percent`` (SPEC §3's keys first)."""
    until = min(day, target.deadline)
    actual = (
        metric_actual(target.metric, unit=target.place, start=target.start, day=until, histories=histories)
        if until >= target.start or target.metric not in PERIOD_METRICS
        else 0
    )
    return {
        "metric": target.metric,
        "value": target.value,
        "start": target.start.isoformat(),
        "deadline": target.deadline.isoformat(),
        "actual": actual,
        "percent": percent_of(actual, target.value),
    }


def targets_progress(province: AdminUnit, day: dt.date, *, histories: Histories | None = None) -> list[dict]:
    """Every target of a province and of its districts and communes, with progress as of ``day``: rows of
    ``progress_row`` plus the target's id, unit (name and level) and metric label, province first."""
    return _rows(Target.objects.filter(province=province), day, histories or Histories())


def unit_targets_progress(unit: AdminUnit, day: dt.date) -> list[dict]:
    """The targets of one district or commune, with progress as of ``day``."""
    return _rows(Target.objects.filter(unit=unit), day, Histories())


def _rows(targets, day: dt.date, histories: Histories) -> list[dict]:
    targets = targets.select_related("province", "unit").order_by("start", "deadline", "metric")
    labels = dict(Metric.choices)
    rows = []
    for target in sorted(targets, key=lambda t: (t.unit_id is not None, t.unit.name if t.unit else "")):
        place = target.place
        rows.append(
            {
                **progress_row(target, day, histories),
                "pk": target.pk,
                "unit": place.name,
                "unit_level": place.level,
                "label": labels.get(target.metric, target.metric),
            }
        )
    return rows
