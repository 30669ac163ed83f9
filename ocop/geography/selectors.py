from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

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


# What a listing row shows of a commune: (name, district name, province id, province name, new commune id,
# new province id, latitude, longitude); see ``commune_places``.
Place = tuple[str, str, int, str, int | None, int | None, float | None, float | None]
_CHUNK = 500


def commune_places(*, commune_ids: Iterable[int], into: dict[int, Place]) -> None:
    """Fill ``into`` with the place of each commune not in it yet: its names, its 2025 successor (itself
    for a 2025 commune) and coordinates (the successor's when it has none). One query per 500 communes,
    values only: the portal's listing refresh asks for thousands at a time."""
    wanted = [pk for pk in commune_ids if pk not in into]
    for start in range(0, len(wanted), _CHUNK):
        rows = AdminUnit.objects.filter(pk__in=wanted[start : start + _CHUNK]).values_list(
            "id", "name", "generation", "latitude", "longitude", "parent__level", "parent__name",
            "province_id", "province__name", "successor_id", "successor__province_id",
            "successor__latitude", "successor__longitude",
        )  # fmt: skip
        for (
            pk, name, generation, lat, lon, parent_level, parent_name, province_id, province_name,
            successor_id, successor_province_id, successor_lat, successor_lon,
        ) in rows:  # fmt: skip
            if generation == Generation.LEGACY:
                new_commune, new_province = successor_id, successor_province_id
                new_lat, new_lon = successor_lat, successor_lon
            else:
                new_commune, new_province, new_lat, new_lon = pk, province_id, lat, lon
            if (lat is None or lon is None) and new_commune is not None:
                lat, lon = new_lat, new_lon
            into[pk] = (
                name,
                parent_name if parent_level == Level.DISTRICT else "",
                province_id or pk,
                province_name if province_id else name,
                new_commune,
                new_province,
                lat,
                lon,
            )
