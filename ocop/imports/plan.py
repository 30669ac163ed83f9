"""The import plan: which entities, products and events a file adds (``planner.py`` works it out, in memory;
``store.py`` writes it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ocop.certification.history import Line, RecordedDecisions
from ocop.geography.models import AdminUnit
from ocop.geography.places import Place

from .parsed import EventRow, ParsedFile, RowError, RowWarning


@dataclass(slots=True)
class NewEntity:
    """An entity this file creates (written by store.py)."""

    name: str
    entity_type: str
    commune: AdminUnit


@dataclass(slots=True)
class NewProduct:
    name: str
    commune: AdminUnit
    group_code: str = ""


@dataclass(slots=True)
class EntityRef:
    place: Place
    name: str
    tax_code: str = ""  # stored, or given by the file
    pk: int | None = None
    new: NewEntity | None = None  # entity created by this file
    tax_update: bool = False  # a stored entity without a number gets the one the file gives

    @property
    def key(self) -> object:
        return self.pk if self.pk is not None else id(self)


@dataclass(slots=True)
class ProductRef:
    entity: EntityRef
    place: Place
    name: str
    pk: int | None = None
    new: NewProduct | None = None
    stored: list[Line] = field(default_factory=list)
    recorded: RecordedDecisions = field(default_factory=RecordedDecisions)
    rows: list[EventRow] = field(default_factory=list)


class PlannedEvent(NamedTuple):
    product: ProductRef
    row: EventRow
    kind: str


@dataclass
class Plan:
    parsed: ParsedFile | None
    errors: list[RowError]
    warnings: list[RowWarning] = field(default_factory=list)
    rows: int = 0
    entities: list[EntityRef] = field(default_factory=list)  # new ones
    tax_updates: list[EntityRef] = field(default_factory=list)
    products: list[ProductRef] = field(default_factory=list)  # every touched product
    events: list[PlannedEvent] = field(default_factory=list)
    skipped: int = 0
    snapshot: tuple[object, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_products(self) -> list[ProductRef]:
        return [p for p in self.products if p.pk is None]
