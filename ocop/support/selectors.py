"""Reads of the support module: scoped record lists, the KPIs as of a day, priority-group figures and the
public "where to buy" of a product.

KPI definitions (as of day D, for a unit U of either generation). A record counts for U when its commune
(directly, or its entity's or product's) is one U's officers cover — ``geography.selectors.
commune_ids_covered_by(U)``: a 2025 province counts what was recorded under the legacy communes merged into
it, and a legacy province (Bắc Kạn) also counts records entered after the reform under the 2025 communes
that succeed its communes, so the programme's figures survive the reform in both directions.

* ``trainees`` — learners of courses starting on or before D, by kind (officers, cooperative members,
  founders) and in total; ``courses`` the number of those courses.
* ``consulting_rounds`` — rounds held on or before D for entities of U.
* ``geographical_indications`` / ``collective_trademarks`` / ``certification_marks`` / ``trademarks`` —
  titles granted on or before D and not expired on D (no end date = no expiry).
* ``products_with_certified_area`` — distinct products with a raw-material area whose certificate is valid
  on D (valid_from ≤ D ≤ valid_until); ``certified_area_ha`` the area of those certificates;
  ``certified_area_by_standard`` distinct products per standard.
* ``products_exported`` — distinct products with a shipment dated on or before D; ``export_markets``
  distinct countries.
* ``products_on_ecommerce`` — distinct products with a listing put up on or before D and checked alive
  within ``ALIVE_DAYS`` days before D (a check after D does not count); ``ecommerce_by_platform`` distinct
  products per platform; ``entities_national_ecommerce`` distinct entities owning such a live listing in
  the national e-commerce programme.
* ``points_of_sale`` — outlets opened on or before D and not closed on D (closed_on > D), by kind.
* ``fairs`` — fairs starting on or before D; ``fair_participations`` and ``fair_sales_vnd`` over them.
* ``revenue_growth`` — among entities of U with yearly figures for at least two years ≤ D's year and a
  positive first-year revenue: ``eligible``, ``grown`` (latest revenue ≥ 1.1 × first-year revenue) and
  ``percent`` = 100·grown/eligible (1 decimal, half-up; 0.0 when none is eligible).
* ``latest_year`` — sums over each entity's latest year ≤ D's year: revenue (million VND), workers,
  local workers, and the number of entities reporting.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum

from ocop.certification.history import Line, State, state_on
from ocop.core.text import fold
from ocop.geography.models import AdminUnit
from ocop.geography.selectors import commune_ids_covered_by
from ocop.products.models import Product
from ocop.targets.selectors import DATE, KIND, PRODUCT_ID, STARS, EventRow, UnitHistory, percent_of

from .kinds import Kind
from .models import (
    ConsultingRound,
    EcommerceListing,
    EntityYear,
    ExportShipment,
    FairParticipation,
    IntellectualProperty,
    IPKind,
    OutletKind,
    Platform,
    PointOfSale,
    PriorityGroup,
    RawMaterialArea,
    Standard,
    TradeFair,
    TrainingCourse,
)

if TYPE_CHECKING:
    from ocop.accounts.models import User

ALIVE_DAYS = 180
GROWTH_FACTOR = Decimal("1.1")


def record_list(*, user: User, kind: Kind, q: str = "") -> QuerySet[Any]:
    qs: QuerySet[Any] = kind.model.objects.for_user(user)
    if kind.related:
        qs = qs.select_related(*kind.related)
    if kind.m2m:
        qs = qs.prefetch_related(*kind.m2m)
    if kind.model is TradeFair:
        qs = qs.prefetch_related("participations")
    for word in fold(q).split():
        qs = qs.filter(search_key__contains=word)
    return qs


def participations_of(*, user: User, fair: TradeFair) -> QuerySet[FairParticipation]:
    return FairParticipation.objects.filter(fair=fair).select_related("entity").order_by("entity__name")


# --- KPIs ---


def _valid_on(day: dt.date, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def support_kpis(unit: AdminUnit, as_of: dt.date) -> dict[str, Any]:
    """Every KPI of the module's docstring, computed from the records (nothing typed in)."""
    ids = list(commune_ids_covered_by(unit).values_list("id", flat=True))
    day = as_of

    courses = TrainingCourse.objects.filter(commune_id__in=ids, start_date__lte=day)
    sums = courses.aggregate(o=Sum("officers"), c=Sum("coop_members"), f=Sum("founders"))
    trainees = {
        "officers": sums["o"] or 0,
        "coop_members": sums["c"] or 0,
        "founders": sums["f"] or 0,
    }
    trainees["total"] = sum(trainees.values())

    titles = Counter(
        IntellectualProperty.objects.filter(commune_id__in=ids)
        .filter(_valid_on(day, "granted_on", "valid_until"))
        .values_list("kind", flat=True)
    )

    areas = RawMaterialArea.objects.filter(
        product__commune_id__in=ids, valid_from__lte=day, valid_until__gte=day
    )
    area_rows = list(areas.values_list("product_id", "standard", "area_ha"))
    by_standard = {key: len({p for p, s, _a in area_rows if s == key}) for key in Standard.values}

    shipments = ExportShipment.objects.filter(product__commune_id__in=ids, shipped_on__lte=day)
    shipment_rows = list(shipments.values_list("product_id", "country"))

    listing_rows = list(
        _live_listings(ids, day).values_list(
            "product_id", "platform", "national_programme", "product__entity_id"
        )
    )
    outlets = list(_open_outlets(ids, day).values_list("kind", flat=True))

    fairs = TradeFair.objects.filter(commune_id__in=ids, start_date__lte=day)
    participation = FairParticipation.objects.filter(fair__in=fairs).aggregate(
        n=Count("id"), s=Sum("sales_vnd")
    )

    return {
        "province": unit.name,
        "as_of": day.isoformat(),
        "trainees": trainees,
        "courses": courses.count(),
        "consulting_rounds": ConsultingRound.objects.filter(
            entity__commune_id__in=ids, held_on__lte=day
        ).count(),
        "geographical_indications": titles[IPKind.GI],
        "collective_trademarks": titles[IPKind.COLLECTIVE],
        "certification_marks": titles[IPKind.CERTIFICATION],
        "trademarks": titles[IPKind.TRADEMARK],
        "products_with_certified_area": len({p for p, _s, _a in area_rows}),
        "certified_area_ha": float(sum((a for _p, _s, a in area_rows), Decimal(0))),
        "certified_area_by_standard": by_standard,
        "products_exported": len({p for p, _c in shipment_rows}),
        "export_markets": len({c.strip().casefold() for _p, c in shipment_rows}),
        "products_on_ecommerce": len({row[0] for row in listing_rows}),
        "ecommerce_by_platform": {
            key: len({row[0] for row in listing_rows if row[1] == key}) for key in Platform.values
        },
        "entities_national_ecommerce": len({row[3] for row in listing_rows if row[2]}),
        "points_of_sale": len(outlets),
        "points_of_sale_by_kind": {key: outlets.count(key) for key in OutletKind.values},
        "fairs": fairs.count(),
        "fair_participations": participation["n"] or 0,
        "fair_sales_vnd": participation["s"] or 0,
        "revenue_growth": revenue_growth(ids, day),
        "latest_year": latest_year_totals(ids, day),
    }


def _live_listings(commune_ids: list[int], day: dt.date) -> QuerySet[EcommerceListing]:
    """Listings up on ``day`` and checked alive within ALIVE_DAYS before it."""
    return EcommerceListing.objects.filter(
        product__commune_id__in=commune_ids,
        listed_on__lte=day,
        checked_alive_on__gte=day - dt.timedelta(days=ALIVE_DAYS),
        checked_alive_on__lte=day,
    )


def _open_outlets(commune_ids: list[int], day: dt.date) -> QuerySet[PointOfSale]:
    return PointOfSale.objects.filter(commune_id__in=commune_ids, opened_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )


def ecommerce_products(commune_ids: list[int], day: dt.date) -> int:
    """``products_on_ecommerce`` of the KPIs, alone (targets)."""
    return _live_listings(commune_ids, day).values("product_id").distinct().count()


def open_points_of_sale(commune_ids: list[int], day: dt.date) -> int:
    """``points_of_sale`` of the KPIs, alone (targets)."""
    return _open_outlets(commune_ids, day).count()


def trainees_between(commune_ids: list[int], start: dt.date, end: dt.date) -> int:
    """Learners of the courses starting from ``start`` to ``end`` (the target "trained people")."""
    sums = TrainingCourse.objects.filter(
        commune_id__in=commune_ids, start_date__gte=start, start_date__lte=end
    ).aggregate(o=Sum("officers"), c=Sum("coop_members"), f=Sum("founders"))
    return sum(value or 0 for value in sums.values())


def _entity_years(commune_ids: list[int], day: dt.date) -> dict[int, list[tuple[int, Decimal, int, int]]]:
    rows: dict[int, list[tuple[int, Decimal, int, int]]] = {}
    for entity_id, year, revenue, workers, local in (
        EntityYear.objects.filter(entity__commune_id__in=commune_ids, year__lte=day.year)
        .order_by("entity_id", "year")
        .values_list("entity_id", "year", "revenue_million", "workers", "local_workers")
    ):
        rows.setdefault(entity_id, []).append((year, revenue, workers, local))
    return rows


def revenue_growth(commune_ids: list[int], day: dt.date) -> dict[str, Any]:
    eligible = grown = 0
    for years in _entity_years(commune_ids, day).values():
        if len(years) < 2 or years[0][1] <= 0:
            continue
        eligible += 1
        if years[-1][1] >= GROWTH_FACTOR * years[0][1]:
            grown += 1
    return {
        "eligible": eligible,
        "grown": grown,
        "percent": percent_of(grown, eligible) if eligible else 0.0,
    }


def latest_year_totals(commune_ids: list[int], day: dt.date) -> dict[str, Any]:
    entities = workers = local = 0
    revenue = Decimal(0)
    for years in _entity_years(commune_ids, day).values():
        _year, r, w, loc = years[-1]
        entities += 1
        revenue += r
        workers += w
        local += loc
    return {
        "entities": entities,
        "revenue_million": float(revenue),
        "workers": workers,
        "local_workers": local,
    }


# --- priority groups ---


def priority_groups_of(province: AdminUnit | None) -> QuerySet[PriorityGroup]:
    if province is None:
        return PriorityGroup.objects.none()
    return PriorityGroup.objects.filter(province=province).prefetch_related("product_sets")


def product_states(history: UnitHistory, day: dt.date) -> dict[int, State]:
    """Product id → state as of ``day``, by the dashboard's rule (``state_on`` of the latest event ≤ day)."""
    latest: dict[int, EventRow] = {}
    for event in history.events[: history._cut(day)]:
        latest[event[PRODUCT_ID]] = event
    return {
        product_id: state_on([Line(event[KIND], event[STARS], dt.date.fromisoformat(event[DATE]))], day)
        for product_id, event in latest.items()
    }


def expiring_certificates(history: UnitHistory, day: dt.date, *, days: int = 180) -> list[dict[str, Any]]:
    """Products in force on ``day`` whose certificate ends within ``days`` days (soonest first)."""
    horizon = day + dt.timedelta(days=days)
    ending = {
        pk: state
        for pk, state in product_states(history, day).items()
        if state.in_force(day) and state.certificate_end is not None and state.certificate_end <= horizon
    }
    names = dict(Product.objects.filter(pk__in=list(ending)).values_list("id", "name"))
    entities = dict(Product.objects.filter(pk__in=list(ending)).values_list("id", "entity__name"))
    rows = [
        {"product": names[pk], "entity": entities[pk], "stars": state.stars, "ends": state.certificate_end}
        for pk, state in ending.items()
    ]
    return sorted(rows, key=lambda r: (r["ends"], r["product"]))


def priority_figures(history: UnitHistory, day: dt.date) -> list[dict[str, Any]]:
    """Per priority group of the province: products registered (in U), recognised as of ``day``, by star.

    Recognition is the dashboard's rule (``certification.history.state_on`` on each product's latest event
    on or before ``day``), applied to the history the dashboard loads."""
    groups = list(priority_groups_of(history.unit if history.unit.level == "province" else None))
    if not groups:
        return []
    set_of = dict(Product.objects.filter(pk__in=list(history.products)).values_list("id", "product_set_id"))
    stars_of = {pk: state.stars for pk, state in product_states(history, day).items() if state.recognised}
    rows = []
    for group in groups:
        sets = {s.pk for s in group.product_sets.all()}
        products = [pk for pk, set_id in set_of.items() if set_id in sets]
        stars = Counter(stars_of[pk] for pk in products if pk in stars_of)
        rows.append(
            {
                "name": group.name,
                "product_sets": sorted(s.number for s in group.product_sets.all()),
                "products": len(products),
                "recognised": sum(stars.values()),
                "by_star": {str(k): stars[k] for k in (3, 4, 5)},
            }
        )
    return rows


# --- public portal ---


def where_to_buy(product_id: int, *, today: dt.date | None = None) -> dict[str, list[Any]]:
    """Public "Nơi mua" of a product: its open points of sale and its listings checked alive recently."""
    today = today or dt.date.today()
    outlets = list(
        PointOfSale.objects.filter(products=product_id, opened_on__lte=today)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))
        .select_related("commune")
        .order_by("name")[:20]
    )
    listings = list(
        EcommerceListing.objects.filter(
            product_id=product_id,
            checked_alive_on__gte=today - dt.timedelta(days=ALIVE_DAYS),
            checked_alive_on__lte=today,
        ).order_by("platform", "id")[:20]
    )
    return {"outlets": outlets, "listings": listings}


# --- public portal: where to buy, when to meet (issue 23) ---
# Published on the public portal: points of sale and fairs are public by nature (an address to visit, an
# event to attend). Sales figures of fair participants are not shown.


def _open_on(day: dt.date) -> Q:
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


_PLACE_RELATED = ("commune", "commune__province", "commune__successor", "commune__successor__province")


def public_points_of_sale(
    *, day: dt.date, commune_ids: QuerySet[Any] | list[int] | None = None
) -> QuerySet[PointOfSale]:
    """Points of sale and showrooms open on ``day`` (optionally within these communes), by name."""
    qs = PointOfSale.objects.filter(_open_on(day)).select_related(*_PLACE_RELATED)
    if commune_ids is not None:
        qs = qs.filter(commune_id__in=commune_ids)
    return qs.order_by("name", "id")


def public_point_of_sale(*, pk: int, day: dt.date) -> PointOfSale | None:
    return public_points_of_sale(day=day).filter(pk=pk).first()


def point_product_ids(*, point: PointOfSale) -> list[int]:
    return list(
        PointOfSale.products.through.objects.filter(pointofsale_id=point.pk).values_list(
            "product_id", flat=True
        )
    )


PAST_FAIRS = 60  # the latest past fairs on the public calendar


def public_fairs(*, day: dt.date) -> tuple[list[TradeFair], list[TradeFair]]:
    """(upcoming and running fairs, soonest first; the latest past fairs, latest first)."""
    qs = TradeFair.objects.all()  # places are named from the commune ids (portal.market), no joins here
    upcoming = list(qs.filter(end_date__gte=day).order_by("start_date", "id"))
    past = list(qs.filter(end_date__lt=day).order_by("-start_date", "-id")[:PAST_FAIRS])
    return upcoming, past


def public_fair(*, pk: int) -> TradeFair | None:
    return TradeFair.objects.select_related(*_PLACE_RELATED).filter(pk=pk).first()


def fair_entities(*, fair: TradeFair) -> list[tuple[int, str]]:
    """(entity id, name) of the producers taking part, by name (no sales figures: not public)."""
    return list(
        FairParticipation.objects.filter(fair=fair)
        .order_by("entity__name_key", "entity_id")
        .values_list("entity_id", "entity__name")
    )


def fair_product_ids(*, fair: TradeFair) -> list[int]:
    return list(
        TradeFair.products.through.objects.filter(tradefair_id=fair.pk).values_list("product_id", flat=True)
    )


def point_counts_by_commune(*, day: dt.date) -> dict[int, int]:
    """Commune id → open points of sale registered there (for the directory's filters)."""
    return dict(
        PointOfSale.objects.filter(_open_on(day)).values_list("commune_id").annotate(n=Count("id")).order_by()
    )


def public_point_rows(
    *, day: dt.date, commune_ids: QuerySet[Any] | list[int] | None = None
) -> list[tuple[Any, ...]]:
    """(id, name, English name, commune id, latitude, longitude) of the points open on ``day``: the map's
    markers, without model instances."""
    qs = PointOfSale.objects.filter(_open_on(day))
    if commune_ids is not None:
        qs = qs.filter(commune_id__in=commune_ids)
    return list(qs.order_by("pk").values_list("pk", "name", "name_en", "commune_id", "latitude", "longitude"))
