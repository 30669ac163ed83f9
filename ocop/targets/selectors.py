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

Speed: the dashboard loads a unit's whole history once (``history_load``: products, then events in date
order — one index-driven query for a 2025 province on PostgreSQL) and computes every figure in Python, no
query per product. One day's figures on SQLite (``ocop stats``, the API) come from ``latest.LatestLines``:
the database picks each product's latest line and counts the events per year.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q, QuerySet

from ocop.certification.choices import EventKind
from ocop.certification.history import State, state_after
from ocop.certification.models import RecognitionEvent
from ocop.certification.validity import REMINDER_DAYS
from ocop.geography.lookup_errors import UnitNotFound
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.geography.resolver import UnitResolver
from ocop.geography.selectors import commune_ids_covered_by, communes_of
from ocop.legal.periods import REFORM_DATE
from ocop.producers.choices import EntityType
from ocop.producers.models import Entity
from ocop.products.models import Product

from .choices import Metric
from .models import Target

if TYPE_CHECKING:
    from ocop.accounts.models import User

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
    "ideas_by_year",
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


def stats_unit_allowed(*, user: User, unit: AdminUnit) -> bool:
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
    if user.unit is None:
        return False
    return own.exists() and not own.exclude(id__in=commune_ids_covered_by(user.unit)).exists()


def province_planner(*, user: User, province: AdminUnit | None) -> bool:
    """Who plans for a province — its targets, inspection plans, support policies, annual report: admins,
    and province officers whose scope holds it (their province, or a legacy province merged into it)."""
    from ocop.accounts.roles import Role

    if province is None or province.level != Level.PROVINCE:
        return False
    return user.is_admin_role or (
        user.role == Role.PROVINCE_OFFICER and stats_unit_allowed(user=user, unit=province)
    )


def stats_units_for(user: User) -> QuerySet[AdminUnit]:
    """Units a user can pick on the dashboard: every province for admins, else their unit and the legacy
    provinces merged into a 2025 province."""
    # Both generations named: the (generation, level, code) unique index then finds the 97 provinces
    # instead of a scan of the 14,000 units (2 ms on PostgreSQL).
    provinces = AdminUnit.objects.filter(generation__in=Generation.values, level=Level.PROVINCE)
    if user.is_admin_role:
        return provinces.order_by("-generation", "short_name")
    if user.unit is None:
        return AdminUnit.objects.none()
    wanted = Q(pk=user.unit_id)
    if user.unit.level == Level.PROVINCE and user.unit.generation == Generation.REFORM_2025:
        wanted |= Q(level=Level.PROVINCE, successor_id=user.unit_id, generation=Generation.LEGACY)
    return AdminUnit.objects.filter(wanted).order_by("-generation", "short_name")


def default_unit_for(user: User) -> AdminUnit | None:
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
        rows = communes.filter(wanted).values_list("id", "successor_id", "generation")
        return {
            pk: (pk if generation == Generation.REFORM_2025 else successor)
            for pk, successor, generation in rows
        }
    # A province: its 2025 communes, then the legacy communes whose successor is one of them (a join on
    # the successor's province, index-driven: no list of ids sent back to the database).
    current = communes.filter(generation=Generation.REFORM_2025, province=unit).order_by()
    mapping = {pk: pk for pk in current.values_list("id", flat=True)}
    legacy = communes.filter(generation=Generation.LEGACY, successor__province=unit).order_by()
    mapping.update(legacy.values_list("id", "successor_id"))
    return mapping


class ProductInfo(NamedTuple):
    commune_id: int  # the commune it is counted in (in the unit's generation)
    entity_id: int
    group_code: str
    entity_type: str


# An event as (product_id, ISO date text, kind, stars): plain tuples straight from the cursor — ISO text
# compares like the date and costs no conversion for 50,000 rows.
EventRow = tuple[int, str, str, "int | None"]
PRODUCT_ID: Final = 0
DATE: Final = 1
KIND: Final = 2
STARS: Final = 3


@lru_cache(maxsize=65_536)
def _line_state(date: str, kind: str, stars: int | None) -> State:
    """The state after a product's latest line (``history.state_after``; the line is on or before the day
    asked, so the day does not matter): pure, and the same few thousand (decision date, kind, stars) come
    back on every dashboard and stats request, so it is kept across requests (State is frozen)."""
    return state_after(kind, stars, dt.date.fromisoformat(date))


class UnitHistory:
    """A unit's products and all their events (in date order), loaded once; the figures for any day are
    computed from memory, so targets at their deadlines cost no further query."""

    holds_events = True  # every event is in ``events`` (latest.LatestLines holds only the latest lines)

    def __init__(
        self, unit: AdminUnit, products: dict[int, ProductInfo], events: list[EventRow], communes_total: int
    ) -> None:
        self.unit = unit
        self.products = products
        self.events = events
        self.event_dates = [event[DATE] for event in events]
        self.communes_total = communes_total
        self._states: dict[dt.date, list[tuple[ProductInfo, State]]] = {}
        self._by_commune: dict[dt.date, dict[int | None, Counter[str]]] = {}

    def _cut(self, day: dt.date) -> int:
        """Number of events dated on or before ``day``."""
        return bisect_right(self.event_dates, day.isoformat())

    def states(self, day: dt.date) -> list[tuple[ProductInfo, State]]:
        """(product, state) for every product with an event on or before ``day``.

        Events are in (date, id) order, so the last one seen per product is its latest line; only that line
        decides (``history.state_on``, the one rule), evaluated once per distinct (date, kind, stars) —
        official decisions list many products at once."""
        if day not in self._states:
            cut = self._cut(day)
            latest = dict(zip([e[PRODUCT_ID] for e in self.events[:cut]], range(cut), strict=True))
            result = []
            for product_id, index in latest.items():
                _product_id, date, kind, stars = self.events[index]
                result.append((self.products[product_id], _line_state(date, kind, stars)))
            self._states[day] = result
        return self._states[day]

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
        for product, state in self.states(day):
            if state.revoked:
                revoked += 1
                continue
            if not state.recognised:
                continue
            recognised += 1
            by_star[str(state.stars)] += 1
            if state.in_force(day):
                in_force += 1
                if state.certificate_end is not None and state.certificate_end <= horizon:
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
        counts = Counter((e[DATE][:4], e[KIND]) for e in self.events[: self._cut(day)])
        years = sorted({year for year, _kind in counts})
        return {year: {kind: counts[(year, kind)] for kind in EVENT_KINDS} for year in years}

    def events_between(self, kind: str, start: dt.date, end: dt.date) -> int:
        low = bisect_left(self.event_dates, start.isoformat())
        return sum(1 for e in self.events[low : self._cut(end)] if e[KIND] == kind)

    def upgrades_between(self, start: dt.date, end: dt.date, *, to_stars: int) -> int:
        """Upgrades dated from ``start`` to ``end`` that reach ``to_stars`` (the step 3→4★ or →5★)."""
        low = bisect_left(self.event_dates, start.isoformat())
        return sum(
            1
            for e in self.events[low : self._cut(end)]
            if e[KIND] == EventKind.UPGRADE and e[STARS] == to_stars
        )

    def metric(self, metric: str, *, start: dt.date, day: dt.date) -> int:
        if metric == Metric.NEW_IN_PERIOD:
            return self.events_between(EventKind.NEW, start, day)
        if metric == Metric.UPGRADED_IN_PERIOD:
            return self.events_between(EventKind.UPGRADE, start, day)
        stars = Counter(state.stars for _product, state in self.states(day) if state.recognised)
        if metric == Metric.RECOGNIZED_TOTAL:
            return sum(stars.values())
        if metric == Metric.FIVE_STAR_TOTAL:
            return stars[5]
        if metric == Metric.FOUR_STAR_PLUS_TOTAL:
            return stars[4] + stars[5]
        raise ValueError(f"Chỉ tiêu không hỗ trợ: {metric}")

    # -- tables for the dashboard ----------------------------------------------------------------------
    def breakdown(
        self, day: dt.date, group_of: dict[int, int] | None = None
    ) -> dict[int | None, Counter[str]]:
        """Per counted-in commune (or per ``group_of[commune]``, e.g. its district): recognised, s3/s4/s5,
        in_force, expired, revoked, other (never an OCOP star) and entities (distinct)."""
        if group_of is None:  # the commune table and the map both ask for it
            if day not in self._by_commune:
                self._by_commune[day] = self._breakdown(day, None)
            return self._by_commune[day]
        return self._breakdown(day, group_of)

    def _breakdown(self, day: dt.date, group_of: dict[int, int] | None) -> dict[int | None, Counter[str]]:
        rows: dict[int | None, Counter[str]] = defaultdict(Counter)
        entities: dict[int | None, set[int]] = defaultdict(set)
        for product, state in self.states(day):
            key = product.commune_id if group_of is None else group_of.get(product.commune_id)
            row = rows[key]
            if state.revoked:
                row["revoked"] += 1
            elif state.recognised:
                row["recognised"] += 1
                row[f"s{state.stars}"] += 1
                row["in_force" if state.in_force(day) else "expired"] += 1
                entities[key].add(product.entity_id)
            else:
                row["other"] += 1
        for key, members in entities.items():
            rows[key]["entities"] = len(members)
        return dict(rows)


def _in_ids(connection: BaseDatabaseWrapper, ids: Iterable[int]) -> tuple[str, list[int] | str]:
    """``IN <list of ids>`` as one parameter (a PostgreSQL array, a JSON list on SQLite): a thousand ids
    as separate placeholders cost more to build, send and plan than the rows they select."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return "= ANY(%s)", ids
    return "IN (SELECT value FROM json_each(%s))", json.dumps(ids)


def _history_rows(alias: str, commune_ids: Iterable[int]) -> tuple[list[Any], list[EventRow]]:
    product, entity, event = Product._meta.db_table, Entity._meta.db_table, RecognitionEvent._meta.db_table
    connection = connections[alias]
    with connection.cursor() as cursor:
        in_communes, communes_param = _in_ids(connection, commune_ids)
        cursor.execute(
            f"SELECT p.id, p.commune_id, p.entity_id, p.group_code, e.entity_type FROM {product} p "  # noqa: S608 — model table names; ids as one array parameter (benchmarks.md)
            f"JOIN {entity} e ON e.id = p.entity_id WHERE p.commune_id {in_communes}",
            [communes_param],
        )
        product_rows = cursor.fetchall()
        in_products, products_param = _in_ids(connection, [row[0] for row in product_rows])
        cursor.execute(
            f"SELECT product_id, CAST(decision_date AS TEXT), kind, stars FROM {event} "  # noqa: S608 — model table names; ids as one array parameter (benchmarks.md)
            f"WHERE product_id {in_products} ORDER BY decision_date, id",
            [products_param],
        )
        return product_rows, cursor.fetchall()


def _province_history_rows(alias: str, province: AdminUnit) -> tuple[dict[int, ProductInfo], list[EventRow]]:
    """A 2025 province on PostgreSQL in one query: its communes → the communes they succeed (a 2025
    commune is its own successor) → products → entities, events left-joined, all by index (nested loops),
    the counted-in commune being the successor. On PostgreSQL each round trip and each array of ids sent
    costs more than the rows; on SQLite the two-query path below is faster."""
    unit, product, entity, event = (
        AdminUnit._meta.db_table,
        Product._meta.db_table,
        Entity._meta.db_table,
        RecognitionEvent._meta.db_table,
    )
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, c.successor_id, p.entity_id, p.group_code, e.entity_type, "  # noqa: S608 — model table names; one query per province (benchmarks.md)
            f"CAST(ev.decision_date AS TEXT), ev.kind, ev.stars FROM {unit} s "
            f"JOIN {unit} c ON c.successor_id = s.id JOIN {product} p ON p.commune_id = c.id "
            f"JOIN {entity} e ON e.id = p.entity_id LEFT JOIN {event} ev ON ev.product_id = p.id "
            f"WHERE s.province_id = %s AND s.level = %s AND s.generation = %s "
            f"ORDER BY ev.decision_date, ev.id",
            [province.pk, Level.COMMUNE, Generation.REFORM_2025],
        )
        rows = cursor.fetchall()
    products = {row[0]: ProductInfo(row[1], row[2], row[3], row[4]) for row in rows}
    events = [(row[0], row[5], row[6], row[7]) for row in rows if row[5] is not None]
    return products, events


def history_load(unit: AdminUnit, *, communes_total: int | None = None) -> UnitHistory:
    """The unit's products (with entity type) and all their events in (date, id) order.

    ``communes_total``: the number of the unit's communes when the caller has them already (no count)."""
    alias = router.db_for_read(Product)
    if (
        connections[alias].vendor == "postgresql"
        and unit.level == Level.PROVINCE
        and unit.generation == Generation.REFORM_2025
    ):
        products, events = _province_history_rows(alias, unit)
    else:
        commune_map = counted_communes(unit)
        product_rows, events = _history_rows(alias, commune_map)
        products = {
            pk: ProductInfo(commune_map[commune_id], entity_id, group_code, entity_type)
            for pk, commune_id, entity_id, group_code, entity_type in product_rows
        }
    if communes_total is None:
        communes_total = communes_of(unit).count()
    return UnitHistory(unit=unit, products=products, events=events, communes_total=communes_total)


# ---------------------------------------------------------------------------------------------------
# The contract of SPEC §5.2
# ---------------------------------------------------------------------------------------------------


def percent_of(actual: int, value: int) -> float:
    """100·actual/value, rounded half-up to one decimal (12.25 → 12.3)."""
    exact = Decimal(actual) * 100 / Decimal(value)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def target_progress(history: UnitHistory, day: dt.date) -> list[dict[str, Any]]:
    """The province's own targets (not its districts' or communes') with progress, for the stats contract."""
    if history.unit.level != Level.PROVINCE:
        return []
    from .progress import Histories, progress_row

    histories = Histories(preloaded=history)
    targets = Target.objects.filter(province=history.unit, unit__isnull=True).select_related("province")
    return [
        progress_row(target, day, histories) for target in targets.order_by("start", "deadline", "metric")
    ]


def _one_day_history(unit: AdminUnit) -> UnitHistory:
    """What answers one day fastest: on SQLite the database picking each product's latest line
    (``latest.LatestLines``: 20,000 rows to Python instead of 48,000 events); on PostgreSQL the whole
    history, whose one index-driven query costs less than the grouped queries there (17 vs 41 ms for the
    largest province of the national data)."""
    if connections[router.db_for_read(Product)].vendor == "postgresql":
        return history_load(unit)
    from .latest import LatestLines  # it subclasses UnitHistory

    return LatestLines(unit)


def unit_stats(unit: AdminUnit, as_of: dt.date, *, history: UnitHistory | None = None) -> dict[str, Any]:
    """The `ocop stats --json` object (SPEC §5.2), keys in the contract's order."""
    if history is None:
        history = _one_day_history(unit)
    figures = history.figures(as_of)
    result = {
        "province": unit.name,
        "as_of": as_of.isoformat(),
        **figures,
        "targets": target_progress(history, as_of),
        "ideas_by_year": ideas_by_year(unit, as_of),
    }
    return {key: result[key] for key in STATS_KEYS}


def ideas_by_year(unit: AdminUnit, as_of: dt.date) -> dict[str, dict[str, int]]:
    """Product ideas of the unit registered in each year up to ``as_of`` and how far they had come by then
    (ideas.selectors.idea_counts_by_year: registered, accepted, business_plan, product, returned)."""
    from ocop.ideas.selectors import idea_counts_by_year

    return idea_counts_by_year(commune_ids=list(counted_communes(unit)), as_of=as_of)
