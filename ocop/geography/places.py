"""Places for matching records (SPEC §5.3): a legacy commune and its successor (2025) are the same place; two
different legacy communes are not, even when they merged into one 2025 commune."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .models import AdminUnit, Generation


@dataclass(slots=True, frozen=True)
class Place:
    """What matching needs to know about a commune: its id, the id of the 2025 commune it is or became
    (``canon``), and whether it is a legacy commune."""

    id: int
    canon: int
    legacy: bool

    def same(self, other: Place) -> bool:
        return self.id == other.id or (self.canon == other.canon and not (self.legacy and other.legacy))


def place_of(unit: AdminUnit) -> Place:
    return place_from(unit.id, unit.successor_id, unit.generation)


def place_from(unit_id: int, successor_id: int | None, generation: str) -> Place:
    """The place of a commune read as plain values (id, successor id, generation)."""
    return Place(unit_id, successor_id or unit_id, generation == Generation.LEGACY)


class Located(Protocol):
    @property
    def place(self) -> Place: ...


L = TypeVar("L", bound=Located)


def in_place(candidates: Sequence[L], place: Place) -> L | None:
    """The candidate in the same place as ``place``: one registered in that very commune first."""
    same = [candidate for candidate in candidates if candidate.place.same(place)]
    return next((c for c in same if c.place.id == place.id), same[0] if same else None)
