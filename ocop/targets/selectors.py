"""Statistics of SPEC §3 — the one place the CLI (`ocop stats`), the dashboard, the API and the reports
compute them.

Definitions (as of a day D, for a unit U — a province of either generation, a legacy district or a
commune):

* **Products of U** — through their commune. A 2025 unit holds the products registered under its own
  communes and under the legacy communes whose default successor (official mapping) lies in it; each such
  product is *counted in* that successor commune. A legacy unit holds the products registered under its
  own legacy communes, whatever the date: asked for a day on or after 01/07/2025, a legacy province means
  the territory as it was on 30/06/2025 — its products keep their whole history (renewals and revocations
  decided later under the new names count), products first registered under 2025 communes do not.
* **State** of a product — from its latest event on or before D (ties on one day: the later record),
  with the pure rules of ``certification.history.state_on``: recognised when that event is not a
  revocation and carries 3–5 stars; its stars and certificate (36 months) are that event's.
* ``in_force_total`` recognised and D ≤ certificate end; ``expired_not_renewed`` recognised, not in force;
  ``expiring_within_30_days`` in force and end ≤ D + 30 days; ``revoked_total`` products whose latest event
  on or before D is a revocation (a product revoked and later recognised again is not counted).
* ``by_star``/``by_group``/``by_entity_type`` count recognised *products* (all keys always present; a
  product without a group code counts in no group); ``entities_total`` distinct entities of recognised
  products; ``communes_with_products`` distinct communes (in U's generation) of recognised products;
  ``communes_total`` communes of U in its generation.
* ``by_year`` counts every event of U's products dated ≤ D by its kind (as recorded in the decision, a
  2★ line included), one key per year that has an event, each with the four kinds.
* ``targets`` — for a province, each of its targets with ``actual`` as of min(D, deadline);
  ``new_in_period``/``upgraded_in_period`` count events of that kind dated from ``start`` to that day;
  ``percent`` = 100·actual/value rounded half-up to 1 decimal.

Speed: two ``values_list`` queries for the whole unit (products, then events ordered by product and date)
and plain Python afterwards — no query per product.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet

from ocop.certification.choices import EventKind
from ocop.certification.history import Line, state_on
from ocop.certification.models import RecognitionEvent
from ocop.certification.validity import REMINDER_DAYS
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.geography.resolver import REFORM_DATE, UnitNotFound, UnitResolver
from ocop.geography.selectors import commune_ids_covered_by, communes_of
from ocop.producers.choices import EntityType
from ocop.products.models import Product

from .choices import Metric
from .models import Target

STAR_KEYS = ("3", "4", "5")
GROUP_KEYS = ("I", "II", "III", "IV", "V", "VI")
ENTITY_TYPE_KEYS = tuple(EntityType.values)
EVENT_KINDS = (
    EventKind.NEW.value,
    EventKind.UPGRADE.value,
    EventKind.RENEWAL.value,
    EventKind.REVOCATION.value,
)
STATS_KEYS = (
    "province",
    "as_of",
    "recognized_total",
    "by_star",
    "in_force_total",
    "expired_not_renewed",
    "expiring_within_30_days",
    "revoked_total",
    "communes_with_products",
    "communes_total",
    "entities_total",
    "by_group",
    "by_entity_type",
    "by_year",
    "targets",
)


# ---------------------------------------------------------------------------------------------------
# Which unit: names as typed, and who may see what
# ---------------------------------------------------------------------------------------------------


def generation_on(day: dt.date) -> str:
    return Generation.LEGACY if day < REFORM_DATE else Generation.REFORM_2025


def province_resolve(
    text: str, *, on_date: dt.date, generation: str | None = None, resolver: UnitResolver | None = None
) -> AdminUnit:
    """The province named ``text`` as it existed on ``on_date``: "Thái Nguyên" is the legacy province
    before 01/07/2025 and the 2025 one from then on. A name found only in the other generation is taken
    from there ("Bắc Kạn" after the reform is the legacy province). ``generation`` forces one generation.
    Raises UnitLookupError (with ``.message``) when unknown or ambiguous."""
    resolver = resolver or UnitResolver()
    if generation:
        return resolver.resolve_province(text, generation=generation)
    preferred = generation_on(on_date)
    try:
        return resolver.resolve_province(text, generation=preferred)
    except UnitNotFound:
        other = Generation.REFORM_2025 if preferred == Generation.LEGACY else Generation.LEGACY
        try:
            return resolver.resolve_province(text, generation=other)
        except UnitNotFound:
            # Report with suggestions from both generations.
            return resolver.resolve_province(text)


def stats_unit_allowed(*, user, unit: AdminUnit) -> bool:
    """Admins see every unit; an officer sees a unit whose communes all lie in their scope (their own unit,
    its districts/communes, and for a 2025 province the legacy provinces merged into it)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_admin_role:
        return True
    from ocop.accounts.roles import OFFICER_ROLES

    if user.role not in OFFICER_ROLES or user.unit_id is None:
        return False
    if unit.pk == user.unit_id:
        return True
    own = communes_of(unit)
    return own.exists() and not own.exclude(id__in=commune_ids_covered_by(user.unit)).exists()


def stats_units_for(user) -> QuerySet[AdminUnit]:
    """Units a user can pick on the dashboard: every province for admins, else their unit and the legacy
    provinces merged into a 2025 province."""
    provinces = AdminUnit.objects.filter(level=Level.PROVINCE)
    if user.is_admin_role:
        return provinces.order_by("-generation", "short_name")
    if user.unit_id is None:
        return AdminUnit.objects.none()
    wanted = Q(pk=user.unit_id)
    if user.unit.level == Level.PROVINCE and user.unit.generation == Generation.REFORM_2025:
        wanted |= Q(level=Level.PROVINCE, successor_id=user.unit_id, generation=Generation.LEGACY)
    return AdminUnit.objects.filter(wanted).order_by("-generation", "short_name")


def default_unit_for(user) -> AdminUnit | None:
    if user.is_admin_role:
        return None
    return user.unit


# ---------------------------------------------------------------------------------------------------
# Loading a unit's histories
# ---------------------------------------------------------------------------------------------------


def counted_communes(unit: AdminUnit) -> dict[int, int]:
    """Commune a product is registered under → commune it is counted in (in ``unit``'s generation)."""
    communes = AdminUnit.objects.filter(level=Level.COMMUNE)
    if unit.generation == Generation.LEGACY:
        return {pk: pk for pk in communes_of(unit).values_list("id", flat=True)}
    if unit.level == Level.COMMUNE:
        wanted = Q(pk=unit.pk) | Q(successor=unit)
    else:
        wanted = Q(generation=Generation.REFORM_2025, province=unit) | Q(
            generation=Generation.LEGACY, successor__province=unit
        )
    rows = communes.filter(wanted).values_list("id", "successor_id", "generation")
    return {
        pk: (pk if generation == Generation.REFORM_2025 else successor) for pk, successor, generation in rows
    }


@dataclass
class ProductHistory:
    commune_id: int  # counted-in commune
    entity_id: int
    group_code: str
    entity_type: str
    dates: list[dt.date] = field(default_factory=list)
    lines: list[tuple[str, int | None]] = field(default_factory=list)  # (kind, stars), same order as dates

    def state(self, day: dt.date):
        index = bisect_right(self.dates, day) - 1
        if index < 0:
            return None
        kind, stars = self.lines[index]
        # Only the latest line decides (history.state_on); pass it alone to reuse the one rule.
        return state_on([Line(kind, stars, self.dates[index])], day)


@dataclass
class UnitHistory:
    unit: AdminUnit
    products: dict[int, ProductHistory]
    events: list[tuple[dt.date, str]]  # every event of the unit's products, by date
    communes_total: int

    # -- the figures ------------------------------------------------------------------------------------
    def figures(self, day: dt.date) -> dict[str, Any]:
        """Every figure of SPEC §3 except province/as_of/targets, as of ``day``."""
        by_star = dict.fromkeys(STAR_KEYS, 0)
        by_group = dict.fromkeys(GROUP_KEYS, 0)
        by_type = dict.fromkeys(ENTITY_TYPE_KEYS, 0)
        recognised = in_force = expiring = revoked = 0
        communes: set[int] = set()
        entities: set[int] = set()
        horizon = day + dt.timedelta(days=REMINDER_DAYS)
        for product in self.products.values():
            state = product.state(day)
            if state is None:
                continue
            if state.revoked:
                revoked += 1
                continue
            if not state.recognised:
                continue
            recognised += 1
            by_star[str(state.stars)] += 1
            if state.in_force(day):
                in_force += 1
                if state.certificate_end <= horizon:
                    expiring += 1
            if product.group_code in by_group:
                by_group[product.group_code] += 1
            if product.entity_type in by_type:
                by_type[product.entity_type] += 1
            communes.add(product.commune_id)
            entities.add(product.entity_id)
        return {
            "recognized_total": recognised,
            "by_star": by_star,
            "in_force_total": in_force,
            "expired_not_renewed": recognised - in_force,
            "expiring_within_30_days": expiring,
            "revoked_total": revoked,
            "communes_with_products": len(communes),
            "communes_total": self.communes_total,
            "entities_total": len(entities),
            "by_group": by_group,
            "by_entity_type": by_type,
            "by_year": self.by_year(day),
        }

    def by_year(self, day: dt.date) -> dict[str, dict[str, int]]:
        years: dict[str, dict[str, int]] = {}
        for date, kind in self.events:
            if date > day:
                break
            year = years.setdefault(str(date.year), dict.fromkeys(EVENT_KINDS, 0))
            if kind in year:
                year[kind] += 1
        return years

    def events_between(self, kind: str, start: dt.date, end: dt.date) -> int:
        return sum(1 for date, k in self.events if k == kind and start <= date <= end)

    def metric(self, metric: str, *, start: dt.date, day: dt.date) -> int:
        if metric == Metric.NEW_IN_PERIOD:
            return self.events_between(EventKind.NEW, start, day)
        if metric == Metric.UPGRADED_IN_PERIOD:
            return self.events_between(EventKind.UPGRADE, start, day)
        stars = Counter()
        for product in self.products.values():
            state = product.state(day)
            if state is not None and state.recognised:
                stars[state.stars] += 1
        if metric == Metric.RECOGNIZED_TOTAL:
            return sum(stars.values())
        if metric == Metric.FIVE_STAR_TOTAL:
            return stars[5]
        if metric == Metric.FOUR_STAR_PLUS_TOTAL:
            return stars[4] + stars[5]
        raise ValueError(f"Chỉ tiêu không hỗ trợ: {metric}")

    # -- tables for the dashboard ----------------------------------------------------------------------
    def by_commune(self, day: dt.date) -> dict[int, Counter]:
        """Per counted-in commune: recognised, s3/s4/s5, in_force, expired, revoked, entities (set size)."""
        rows: dict[int, Counter] = defaultdict(Counter)
        entities: dict[int, set[int]] = defaultdict(set)
        for product in self.products.values():
            state = product.state(day)
            if state is None:
                continue
            row = rows[product.commune_id]
            if state.revoked:
                row["revoked"] += 1
            elif state.recognised:
                row["recognised"] += 1
                row[f"s{state.stars}"] += 1
                row["in_force" if state.in_force(day) else "expired"] += 1
                entities[product.commune_id].add(product.entity_id)
        for commune_id, members in entities.items():
            rows[commune_id]["entities"] = len(members)
        return rows


def history_load(unit: AdminUnit) -> UnitHistory:
    """Two queries: the unit's products (with entity type) and all their events, ordered."""
    commune_map = counted_communes(unit)
    ids = list(commune_map)
    products: dict[int, ProductHistory] = {}
    product_rows = Product.objects.filter(commune_id__in=ids).values_list(
        "id", "commune_id", "entity_id", "group_code", "entity__entity_type"
    )
    for pk, commune_id, entity_id, group_code, entity_type in product_rows.iterator(chunk_size=5000):
        products[pk] = ProductHistory(commune_map[commune_id], entity_id, group_code, entity_type)
    events: list[tuple[dt.date, str]] = []
    event_rows = (
        RecognitionEvent.objects.filter(product__commune_id__in=ids)
        .order_by("product_id", "decision_date", "id")
        .values_list("product_id", "decision_date", "kind", "stars")
    )
    for product_id, date, kind, stars in event_rows.iterator(chunk_size=5000):
        product = products[product_id]
        product.dates.append(date)
        product.lines.append((kind, stars))
        events.append((date, kind))
    events.sort(key=lambda e: e[0])
    return UnitHistory(
        unit=unit,
        products={k: p for k, p in products.items() if p.dates},
        events=events,
        communes_total=communes_of(unit).count(),
    )


# ---------------------------------------------------------------------------------------------------
# The contract of SPEC §5.2
# ---------------------------------------------------------------------------------------------------


def percent_of(actual: int, value: int) -> float:
    """100·actual/value, rounded half-up to one decimal (12.25 → 12.3)."""
    exact = Decimal(actual) * 100 / Decimal(value)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def target_progress(history: UnitHistory, day: dt.date) -> list[dict[str, Any]]:
    if history.unit.level != Level.PROVINCE:
        return []
    rows = []
    for target in Target.objects.filter(province=history.unit).order_by("start", "deadline", "metric"):
        until = min(day, target.deadline)
        actual = history.metric(target.metric, start=target.start, day=until)
        rows.append(
            {
                "metric": target.metric,
                "value": target.value,
                "start": target.start.isoformat(),
                "deadline": target.deadline.isoformat(),
                "actual": actual,
                "percent": percent_of(actual, target.value),
            }
        )
    return rows


def unit_stats(unit: AdminUnit, as_of: dt.date, *, history: UnitHistory | None = None) -> dict[str, Any]:
    """The `ocop stats --json` object (SPEC §5.2), keys in the contract's order."""
    history = history or history_load(unit)
    figures = history.figures(as_of)
    result = {
        "province": unit.name,
        "as_of": as_of.isoformat(),
        **figures,
        "targets": target_progress(history, as_of),
    }
    return {key: result[key] for key in STATS_KEYS}
