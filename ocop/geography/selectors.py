from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db.models import Count, Max, Q, QuerySet

from .models import AdminUnit, Generation, Level


def commune_ids_covered_by(unit: AdminUnit) -> QuerySet[AdminUnit, Any]:
    """Ids of the communes (both generations) whose records a unit's officers may see.

    A 2025 province also covers the legacy communes whose default successor lies in it, so the
    Thái Nguyên office sees what was registered under Bắc Kạn communes; a legacy province covers
    its own communes and their successors.
    """
    communes = AdminUnit.objects.filter(level=Level.COMMUNE)
    if unit.level == Level.COMMUNE:
        if unit.generation == Generation.REFORM_2025:
            return communes.filter(Q(pk=unit.pk) | Q(successor=unit)).values("id")
        return communes.filter(pk=unit.pk).values("id")
    if unit.level == Level.DISTRICT:
        return communes.filter(parent=unit).values("id")
    if unit.generation == Generation.REFORM_2025:
        return communes.filter(Q(province=unit) | Q(successor__province=unit)).values("id")
    own = AdminUnit.objects.filter(level=Level.COMMUNE, province=unit)
    return communes.filter(Q(province=unit) | Q(pk__in=own.values("successor"))).values("id")


def units_covering_commune(commune_id: int) -> set[int]:
    """Ids of the units whose officers see a commune's records: ``commune_ids_covered_by`` read backwards
    (the commune, its successor, district, province and the successor's province, and the legacy provinces
    of the communes it succeeds). Two queries, however many officers the country has."""
    row = (
        AdminUnit.objects.filter(pk=commune_id, level=Level.COMMUNE)
        .values_list("id", "successor_id", "parent_id", "province_id", "successor__province_id")
        .first()
    )
    if row is None:
        return set()
    predecessors = AdminUnit.objects.filter(level=Level.COMMUNE, successor_id=commune_id)
    return {pk for pk in row if pk} | set(predecessors.values_list("province_id", flat=True))


def unit_covers_commune(unit: AdminUnit, commune_id: int) -> bool:
    return commune_ids_covered_by(unit).filter(id=commune_id).exists()


def province_list(*, generation: str | None = None) -> QuerySet[AdminUnit]:
    qs = AdminUnit.objects.filter(level=Level.PROVINCE)
    if generation:
        qs = qs.filter(generation=generation)
    return qs.order_by("generation", "short_name")


def communes_of(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """Communes of a unit in its own generation (no successor mapping): Bắc Kạn → 108, Thái Nguyên → 92."""
    qs = AdminUnit.objects.filter(level=Level.COMMUNE)
    if unit.level == Level.COMMUNE:
        return qs.filter(pk=unit.pk)
    if unit.level == Level.DISTRICT:
        return qs.filter(parent=unit)
    return qs.filter(province=unit)


def commune_choices_for(unit: AdminUnit | None, *, keep: int | None = None) -> QuerySet[AdminUnit]:
    """Communes a form may offer to an officer bound to ``unit`` (None = every current commune).

    New records are registered under current (2025) communes; an officer bound to a legacy unit works on
    historical records and gets that unit's legacy communes. ``keep`` keeps a record's present commune.
    """
    qs = AdminUnit.objects.filter(level=Level.COMMUNE).select_related("parent", "province")
    if unit is None:
        wanted = Q(generation=Generation.REFORM_2025)
    else:
        wanted = Q(id__in=commune_ids_covered_by(unit), generation=unit.generation)
    if keep:
        wanted |= Q(pk=keep)
    return qs.filter(wanted).order_by("province__short_name", "short_name")


def province_get(*, pk: int) -> AdminUnit | None:
    """A province of either generation by primary key, or None."""
    return AdminUnit.objects.filter(pk=pk, level=Level.PROVINCE).first()


def units_in(*, ids: Iterable[int] | QuerySet[Any]) -> QuerySet[AdminUnit]:
    """The units with these primary keys (a list or a subquery), unordered."""
    return AdminUnit.objects.filter(pk__in=ids)


def commune_coordinates(*, generation: str) -> QuerySet[Any]:
    """(latitude, longitude) of every commune of a generation that has them."""
    return AdminUnit.objects.filter(
        level=Level.COMMUNE, generation=generation, latitude__isnull=False
    ).values_list("latitude", "longitude")


def unit_names(*, ids: Iterable[int | None]) -> dict[int, str]:
    """Full names ("Xã Ba Bể", "Tỉnh Thái Nguyên") of the given units, in one query."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return dict(AdminUnit.objects.filter(pk__in=wanted).values_list("pk", "name"))


class CommuneNames(NamedTuple):
    """A commune as registered (either generation) and the 2025 units that name it today."""

    name: str
    district: str  # legacy district ("" for a 2025 commune)
    province: str
    province_id: int | None
    new_commune: str  # the 2025 commune (itself for a 2025 commune; "" when no successor is known)
    new_commune_id: int | None
    new_province: str
    new_province_id: int | None
    latitude: float | None
    longitude: float | None


def commune_names(*, ids: Iterable[int]) -> dict[int, CommuneNames]:
    """Per commune id: its names in both generations and its coordinates (its own, else its successor's)."""
    wanted = sorted({pk for pk in ids if pk})
    places: dict[int, CommuneNames] = {}
    for start in range(0, len(wanted), 900):  # SQLite's parameter limit
        rows = AdminUnit.objects.filter(pk__in=wanted[start : start + 900]).values_list(
            "pk", "name", "generation", "parent__level", "parent__name", "province_id", "province__name",
            "successor_id", "successor__name", "successor__province_id", "successor__province__name",
            "latitude", "longitude", "successor__latitude", "successor__longitude",
        )  # fmt: skip
        for (
            pk, name, generation, parent_level, parent_name, province_id, province_name, successor_id,
            successor_name, successor_province_id, successor_province_name, lat, lon, s_lat, s_lon,
        ) in rows:  # fmt: skip
            new: tuple[str, int | None, str, int | None]
            if generation == Generation.REFORM_2025:
                new = (name, pk, province_name or "", province_id)
            else:
                new = (
                    successor_name or "",
                    successor_id,
                    successor_province_name or "",
                    successor_province_id,
                )
            if lat is None or lon is None:
                lat, lon = s_lat, s_lon
            places[pk] = CommuneNames(
                name,
                parent_name if parent_level == Level.DISTRICT else "",
                province_name or "",
                province_id,
                *new,
                lat,
                lon,
            )
    return places


def provinces_on(*, day: dt.date) -> QuerySet[AdminUnit]:
    """The provinces of ``day``'s generation (63 before 01/07/2025, 34 from then), by short name."""
    from ocop.legal.periods import REFORM_DATE

    generation = Generation.LEGACY if day < REFORM_DATE else Generation.REFORM_2025
    return AdminUnit.objects.filter(level=Level.PROVINCE, generation=generation).order_by("short_name")


def province_2025_get(*, pk: int) -> AdminUnit | None:
    """A province of the 2025 generation by primary key, or None."""
    return AdminUnit.objects.filter(pk=pk, level=Level.PROVINCE, generation=Generation.REFORM_2025).first()


def unit_get(*, pk: int) -> AdminUnit | None:
    return AdminUnit.objects.filter(pk=pk).first()


def unit_short_names(*, ids: Iterable[int]) -> dict[int, str]:
    """Short names ("Thái Nguyên") of the given units, in one query."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return dict(AdminUnit.objects.filter(pk__in=wanted).values_list("pk", "short_name"))


class CommuneProvinces(NamedTuple):
    generation: str
    province_id: int | None
    successor_province_id: int | None


_COMMUNE_PROVINCES: dict[tuple[Any, ...], dict[int, CommuneProvinces]] = {}


def commune_provinces() -> dict[int, CommuneProvinces]:
    """Commune id → (generation, province, its successor's province), for every commune of both generations.

    Reference data, read once per process: the answer is kept under a stamp of the communes table (count and
    highest id), taken on every call, so a reload of the units (``ocop init``) is seen at once."""
    stamp = tuple(
        AdminUnit.objects.filter(level=Level.COMMUNE).aggregate(n=Count("id"), top=Max("id")).values()
    )
    found = _COMMUNE_PROVINCES.get(stamp)
    if found is None:
        rows = AdminUnit.objects.filter(level=Level.COMMUNE).values_list(
            "pk", "generation", "province_id", "successor__province_id"
        )
        found = {
            pk: CommuneProvinces(generation, province_id, successor_province_id)
            for pk, generation, province_id, successor_province_id in rows
        }
        _COMMUNE_PROVINCES.clear()
        _COMMUNE_PROVINCES[stamp] = found
    return found


_POINT = ("pk", "name", "latitude", "longitude")


def unit_points(*, ids: Iterable[int]) -> list[tuple[int, str, float, float]]:
    """(id, name, latitude, longitude) of the given units that have coordinates."""
    wanted = sorted({pk for pk in ids if pk})
    points: list[tuple[int, str, float, float]] = []
    for start in range(0, len(wanted), 900):  # SQLite's parameter limit
        part = AdminUnit.objects.filter(pk__in=wanted[start : start + 900], latitude__isnull=False)
        rows = part.values_list(*_POINT)
        points += [(pk, name, lat, lon) for pk, name, lat, lon in rows if lat is not None and lon is not None]
    return points


def communes_2025_located() -> list[tuple[int, str, float, float]]:
    """(id, name, latitude, longitude) of every 2025 commune with coordinates (3,300 rows: one query, cheaper
    than asking for most of them by id)."""
    located = AdminUnit.objects.filter(
        level=Level.COMMUNE, generation=Generation.REFORM_2025, latitude__isnull=False
    ).values_list(*_POINT)
    return [(pk, name, lat, lon) for pk, name, lat, lon in located if lat is not None and lon is not None]
