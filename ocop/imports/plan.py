"""The import plan: which entities, products and events a file adds, worked out in memory.

Matching (SPEC §5.3):
* communes: a legacy commune and its successor (2025) are the same place for matching; two different
  legacy communes are not, even when they merged into one 2025 commune;
* entity: by tax/registration number when the row gives one, otherwise by its name (case, spaces, Unicode
  form and tone-mark placement ignored) in the same commune;
* product: by entity and name in the same commune.

Every table is read with one query (ids chunked), never one per row. The history of each touched product
(stored events + the file's rows, the file's in date order) is checked with the pure rules of
``ocop.certification.history``; events already stored are recognised and skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Max

from ocop.certification.choices import EventKind
from ocop.certification.history import Line, check_line, infer_kind
from ocop.certification.models import RecognitionEvent
from ocop.core.bulk import sql_names
from ocop.core.text import identity_key
from ocop.geography.models import AdminUnit, Generation
from ocop.producers.models import Entity
from ocop.products.models import Product

from . import headers as H
from .rows import EventRow, ParsedSheet, RowError
from .values import fold_compact

CHUNK = 900
NEW_ORDER = 10**9  # file lines come after stored lines of the same day
_DATE_ORDER = attrgetter("decision_date", "order")  # a product's file rows in date order


def chunks(items: Iterable, size: int = CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def canon(unit_id: int, successor_id: int | None) -> int:
    return successor_id or unit_id


@dataclass(slots=True)
class Place:
    """What matching needs to know about a commune."""

    id: int
    canon: int
    legacy: bool

    def same(self, other: Place) -> bool:
        return self.id == other.id or (self.canon == other.canon and not (self.legacy and other.legacy))


def place_of(unit: AdminUnit) -> Place:
    return Place(unit.id, canon(unit.id, unit.successor_id), unit.generation == Generation.LEGACY)


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
    tax_code: str = ""
    pk: int | None = None
    new: NewEntity | None = None  # entity created by this file
    set_tax_code: str = ""  # a stored entity without a number gets the one the file gives

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
    stored_keys: list[tuple] = field(default_factory=list)  # (kind, date, number key, stars) per stored line
    stored_events: list[tuple] = field(default_factory=list)  # (id, product id, kind, stars, date, number)
    rows: list[EventRow] = field(default_factory=list)


class PlannedEvent(NamedTuple):
    product: ProductRef
    row: EventRow
    kind: str


@dataclass
class Plan:
    parsed: ParsedSheet | None
    errors: list[RowError]
    rows: int = 0
    entities: list[EntityRef] = field(default_factory=list)  # new ones
    tax_updates: list[EntityRef] = field(default_factory=list)
    products: list[ProductRef] = field(default_factory=list)  # every touched product
    events: list[PlannedEvent] = field(default_factory=list)
    skipped: int = 0
    snapshot: tuple = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_products(self) -> list[ProductRef]:
        return [p for p in self.products if p.pk is None]


def _products_of_entities_sql() -> str:
    """SELECT of (id, name, entity id, commune id, its successor id, its generation) of the products of some
    entities; ``{}`` stands for the placeholders of the entity ids."""
    products, (p_id, p_name, p_entity, p_commune) = sql_names(Product, "id", "name", "entity", "commune")
    units, (u_id, u_successor, u_generation) = sql_names(AdminUnit, "id", "successor", "generation")
    return (
        f"SELECT p.{p_id}, p.{p_name}, p.{p_entity}, p.{p_commune}, u.{u_successor}, u.{u_generation} "
        f"FROM {products} p INNER JOIN {units} u ON u.{u_id} = p.{p_commune} WHERE p.{p_entity} IN ({{}})"
    )


def _entities_sql() -> tuple[str, str]:
    """SELECTs of (id, name, tax code, commune id, its successor id, its generation) of the entities of some
    communes or their successors (``{}``: the placeholders of the commune ids, twice), and of some tax
    codes (``{}``), in the entities' order (name key, id)."""
    entities, (e_id, e_name, e_tax, e_commune, e_key) = sql_names(
        Entity, "id", "name", "tax_code", "commune", "name_key"
    )
    units, (u_id, u_successor, u_generation) = sql_names(AdminUnit, "id", "successor", "generation")
    select = (
        f"SELECT e.{e_id}, e.{e_name}, e.{e_tax}, e.{e_commune}, u.{u_successor}, u.{u_generation} "
        f"FROM {entities} e INNER JOIN {units} u ON u.{u_id} = e.{e_commune} WHERE "
    )
    order = f" ORDER BY e.{e_key}, e.{e_id}"
    return (
        select + f"(e.{e_commune} IN ({{}}) OR u.{u_successor} IN ({{}}))" + order,
        select + f"e.{e_tax} IN ({{}})" + order,
    )


def database_snapshot() -> tuple:
    """Counts and highest ids of the tables a plan reads: if they change before the plan is written,
    the plan is rebuilt inside the writing transaction."""
    figures = []
    for model in (Entity, Product, RecognitionEvent):
        agg = model.objects.aggregate(n=Count("id"), top=Max("id"))
        figures.append((agg["n"], agg["top"]))
    return tuple(figures)


class Planner:
    def __init__(self, parsed: ParsedSheet, progress: Callable[[str], None] | None = None) -> None:
        self.parsed = parsed
        self.errors: list[RowError] = list(parsed.errors)
        self.progress = progress or (lambda stage: None)
        self.by_tax: dict[str, EntityRef] = {}
        self.by_name: dict[tuple[int, str], list[EntityRef]] = defaultdict(list)
        self.products: dict[tuple, list[ProductRef]] = defaultdict(list)
        self.new_entities: list[EntityRef] = []
        self.tax_updates: list[EntityRef] = []
        self._places: dict[int, Place] = {}
        self._first_lines: dict[tuple, tuple[str, str | None]] = {}  # (kind, stars, date) → (kind, problem)

    def _place(self, unit: AdminUnit) -> Place:
        """One Place per commune object (the resolver hands out the same object for the same commune)."""
        place = self._places.get(id(unit))
        if place is None:
            place = self._places[id(unit)] = place_of(unit)
        return place

    def error(self, row: EventRow, column: str, message: str) -> None:
        self.errors.append(RowError(row.row, self.parsed.label(column), message))
        row.ok = False

    # -- loading what is stored -------------------------------------------------------------------------

    def _load(self, rows: list[EventRow]) -> None:
        communes = {id(r.commune): r.commune for r in rows if r.commune is not None}  # (a few hundred)
        canons = {self._place(commune).canon for commune in communes.values()}
        taxes = {r.tax_code for r in rows if r.tax_code}
        found: dict[int, tuple] = {}
        by_place, by_tax = _entities_sql()
        with connection.cursor() as cursor:
            # Plain SQL, in the entities' own order (name key, id): a re-import reads them all back.
            for part in chunks(canons):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(by_place.format(marks, marks), [*part, *part])
                for values in cursor.fetchall():
                    found[values[0]] = values
            for part in chunks(taxes):
                cursor.execute(by_tax.format(", ".join(["%s"] * len(part))), part)
                for values in cursor.fetchall():
                    found[values[0]] = values
        refs: dict[int, EntityRef] = {}
        places: dict[int, Place] = {}
        for pk, name, tax_code, commune_id, successor_id, generation in found.values():
            place = places.get(commune_id)
            if place is None:  # one Place per commune (read-only), not one per entity or product
                legacy = generation == Generation.LEGACY
                place = places[commune_id] = Place(commune_id, canon(commune_id, successor_id), legacy)
            ref = EntityRef(place, name, tax_code, pk=pk)
            refs[pk] = ref
            if tax_code:
                self.by_tax[tax_code] = ref
            self.by_name[(ref.place.canon, identity_key(name))].append(ref)
        stored: dict[int, ProductRef] = {}
        sql = _products_of_entities_sql()
        with connection.cursor() as cursor:
            for part in chunks(refs):
                # Plain SQL: a re-import reads every product of the file back (no ORM query building for
                # 900 ids per chunk, no per-row iterator).
                cursor.execute(sql.format(", ".join(["%s"] * len(part))), part)
                for pk, name, entity_id, commune_id, successor_id, generation in cursor.fetchall():
                    place = places.get(commune_id)
                    if place is None:
                        legacy = generation == Generation.LEGACY
                        place = Place(commune_id, canon(commune_id, successor_id), legacy)
                        places[commune_id] = place
                    ref = ProductRef(refs[entity_id], place, name, pk=pk)
                    stored[pk] = ref
                    self.products[(entity_id, place.canon, identity_key(name))].append(ref)
        self._stored_products = stored

    def _load_events(self, products: list[ProductRef]) -> None:
        """The stored lines of these products, with one plain SQL query per chunk of ids (a re-import reads
        every line of the file back: no ORM rows or per-value converters)."""
        by_pk = {p.pk: p for p in products if p.pk is not None}
        table, names = sql_names(
            RecognitionEvent, "id", "product", "kind", "stars", "decision_date", "decision_number"
        )
        columns = ", ".join(names)
        id_column, product_column, date_column = names[0], names[1], names[4]
        days: dict[object, dt.date] = {}
        with connection.cursor() as cursor:
            for part in chunks(by_pk):
                cursor.execute(
                    f"SELECT {columns} FROM {table} WHERE {product_column} IN "
                    f"({', '.join(['%s'] * len(part))}) ORDER BY {date_column}, {id_column}",
                    part,
                )
                for pk, product_id, kind, stars, raw_day, number in cursor.fetchall():
                    day = days.get(raw_day)
                    if day is None:  # SQLite returns the ISO text, PostgreSQL a date
                        day = days[raw_day] = (
                            raw_day if isinstance(raw_day, dt.date) else dt.date.fromisoformat(raw_day)
                        )
                    product = by_pk[product_id]
                    product.stored.append(Line(kind, stars, day, pk))
                    product.stored_keys.append((kind, day, fold_compact(number), stars))
                    product.stored_events.append((pk, product_id, kind, stars, day, number))

    # -- matching ---------------------------------------------------------------------------------------

    def _entity(self, row: EventRow) -> EntityRef:
        place = self._place(row.commune)
        name_key = (place.canon, identity_key(row.entity_name))
        if row.tax_code and row.tax_code in self.by_tax:
            return self.by_tax[row.tax_code]
        known = self.by_name.get(name_key)  # (mostly none: no comprehension frame then)
        candidates = [ref for ref in known if ref.place.same(place)] if known else []
        if row.tax_code:
            # A stored or earlier entity of that name without a number is the same one; with another
            # number it is a different entity that happens to share the name.
            candidates = [ref for ref in candidates if not ref.tax_code and not ref.set_tax_code]
        if candidates:
            ref = next((c for c in candidates if c.place.id == place.id), candidates[0])
            if row.tax_code:
                if ref.pk is not None:
                    ref.set_tax_code = row.tax_code
                    self.tax_updates.append(ref)
                else:
                    ref.tax_code = row.tax_code
                self.by_tax[row.tax_code] = ref
            return ref
        ref = EntityRef(place, row.entity_name, row.tax_code)
        ref.new = NewEntity(row.entity_name, row.entity_type, row.commune)
        self.new_entities.append(ref)
        self.by_name[name_key].append(ref)
        if row.tax_code:
            self.by_tax[row.tax_code] = ref
        return ref

    def _product(self, row: EventRow, entity: EntityRef) -> ProductRef:
        place = self._place(row.commune)
        key = (entity.key, place.canon, identity_key(row.product_name))
        known = self.products.get(key)
        candidates = [ref for ref in known if ref.place.same(place)] if known else []
        if candidates:
            return next((c for c in candidates if c.place.id == place.id), candidates[0])
        ref = ProductRef(entity, place, row.product_name)
        ref.new = NewProduct(row.product_name, row.commune, row.group_code)
        self.products[key].append(ref)
        return ref

    # -- history ----------------------------------------------------------------------------------------

    def _history(self, product: ProductRef, plan: Plan) -> None:
        lines = list(product.stored)
        # Lines already there, looked up by set: (kind, date, number key, stars), the same without the kind
        # (a row with no kind matches any), and without the stars (same decision, other star: an error).
        if product.stored_keys:
            full = set(product.stored_keys)
            any_kind = {k[1:] for k in full}
            no_stars = {k[:3] for k in full}
        else:  # a new product (most of a first import): no comprehension frames
            full, any_kind, no_stars = set(), set(), set()
        rows = product.rows
        if len(rows) > 1:
            rows.sort(key=_DATE_ORDER)
        events = plan.events
        first_new: dt.date | None = None
        for row in rows:
            given, day, stars = row.kind, row.decision_date, row.stars
            number = fold_compact(row.decision_number)
            if (given, day, number, stars) in full if given else (day, number, stars) in any_kind:
                plan.skipped += 1
                continue
            if lines:
                kind = given or infer_kind(lines, stars or 0, day)
            else:
                # The first line of a history (most rows of a first import): the rules' answer is a pure
                # function of (kind, stars, date) then, worked out once per distinct triple.
                first = (given, stars, day)
                found = self._first_lines.get(first)
                if found is None:
                    first_kind = given or infer_kind([], stars or 0, day)
                    found = self._first_lines[first] = (
                        first_kind,
                        check_line([], Line(first_kind, stars, day, NEW_ORDER)),
                    )
                kind, problem = found
            if (kind, day, number) in no_stars:
                self.error(
                    row,
                    H.STARS,
                    "Đã có sự kiện cùng hình thức, ngày và số quyết định cho sản phẩm "
                    "này nhưng khác hạng sao.",
                )
                continue
            line = Line(kind, stars, day, NEW_ORDER + row.order)
            if lines:
                problem = check_line(lines, line)
            if problem:
                column = H.KIND if given else H.STARS
                if kind == EventKind.UPGRADE and not given:
                    column = H.STARS
                self.error(row, column, problem)
                continue
            lines.append(line)
            full.add((kind, day, number, stars))
            any_kind.add((day, number, stars))
            no_stars.add((kind, day, number))
            events.append(PlannedEvent(product, row, kind))
            if first_new is None or day < first_new:
                first_new = day
        if first_new is None or not product.stored:
            return
        # A file may add lines before stored ones: the stored lines after them must still make sense.
        ordered = sorted(lines, key=lambda line: (line.date, line.order))
        for index, line in enumerate(ordered):
            if line.order >= NEW_ORDER or line.date < first_new:
                continue
            problem = check_line(ordered[:index], line)
            if problem:
                culprit = max(
                    (r for r in product.rows if r.ok and r.decision_date <= line.date),
                    key=lambda r: (r.decision_date, r.order),
                    default=product.rows[0],
                )
                self.error(
                    culprit,
                    H.DECISION_DATE,
                    f"Dòng này làm sai lịch sử đã lưu: sự kiện ngày {line.date:%d/%m/%Y} trở thành "
                    f"không hợp lệ ({problem})",
                )
                plan.events = [e for e in plan.events if e.product is not product]
                return

    # -- the whole plan ---------------------------------------------------------------------------------

    def build(self) -> Plan:
        snapshot = database_snapshot()
        rows = [r for r in self.parsed.rows if r.ok]
        self.progress("Đối chiếu chủ thể và sản phẩm đã có")
        self._load(rows)
        touched: dict[int, ProductRef] = {}
        # Rows repeat entities and products: each (commune, name) is matched once. Matching a row without
        # a tax code gives the same entity every time (a later match only appends entities of other
        # communes), until a row with a tax code changes which entities may match: then it starts over.
        entity_of: dict[tuple[int, str], EntityRef] = {}
        product_of: dict[tuple[int, int, str], ProductRef] = {}
        for row in rows:
            if row.tax_code:
                entity_of.clear()
                entity = self._entity(row)
            else:
                entity_key = (id(row.commune), row.entity_name)
                entity = entity_of.get(entity_key)
                if entity is None:
                    entity = entity_of[entity_key] = self._entity(row)
            product_key = (id(entity), id(row.commune), row.product_name)
            product = product_of.get(product_key)
            if product is None:
                product = product_of[product_key] = self._product(row, entity)
            product.rows.append(row)
            touched[id(product)] = product
            if product.new is not None and not product.new.group_code and row.group_code:
                product.new.group_code = row.group_code
        products = list(touched.values())
        self.progress("Kiểm tra lịch sử công nhận")
        self._load_events(products)
        plan = Plan(parsed=self.parsed, errors=self.errors, rows=len(self.parsed.rows), snapshot=snapshot)
        for product in products:
            self._history(product, plan)
        used = {id(p.entity) for p in products}
        plan.entities = [ref for ref in self.new_entities if id(ref) in used]
        plan.tax_updates = self.tax_updates
        plan.products = products
        plan.errors.sort(key=lambda e: (e.row, e.column))
        return plan
