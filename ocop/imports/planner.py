"""Working out an import plan (``plan.py``) in memory.

Matching follows ``ocop.products.identity`` (the forms' rule too): an entity by its tax/registration number
when the row gives one, otherwise by its name in the same place; a product by its entity and name in the
same place (a legacy commune and its successor are the same place).

What is stored is read with one query per chunk of ids (``stored.py``), never one per row. The history of
each touched product (stored events + the file's rows, the file's in date order) is checked with the pure
rules of ``ocop.certification.history``; decisions already stored are recognised (``RecordedDecisions``) and
skipped. A renewal, upgrade or revocation with no earlier line is taken with a warning naming the closest
products of the same commune, and so is a new product one small edit away from a product of the same
entity and commune (a probable misspelling).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Callable
from operator import attrgetter

from ocop.certification.history import CONTRADICTION, Line, check_line, infer_kind, unanchored
from ocop.core.text import fold, identity_key
from ocop.geography.models import AdminUnit
from ocop.geography.places import Place, place_from, place_of
from ocop.producers.identity import same_entity
from ocop.products.identity import probably_same_name, same_product

from . import headers as H
from .parsed import EventRow, ParsedFile, RowError, RowWarning
from .plan import EntityRef, NewEntity, NewProduct, Plan, PlannedEvent, ProductRef
from .stored import database_snapshot, stored_entities, stored_lines, stored_products

NEW_ORDER = 10**9  # file lines come after stored lines of the same day
CLOSEST = 3  # products named in a warning
_DATE_ORDER = attrgetter("decision_date", "order")  # a product's file rows in date order


class Planner:
    def __init__(self, parsed: ParsedFile, progress: Callable[[str], None] | None = None) -> None:
        self.parsed = parsed
        self.errors: list[RowError] = list(parsed.errors)
        self.warnings: list[RowWarning] = []
        self.progress = progress or (lambda stage: None)
        self.by_tax: dict[str, EntityRef] = {}
        self.by_name: dict[tuple[int, str], list[EntityRef]] = defaultdict(list)
        self.products: dict[tuple, list[ProductRef]] = defaultdict(list)
        self.by_owner: dict[tuple, list[ProductRef]] = defaultdict(list)  # (entity, canon) → products
        self.by_canon: dict[int, list[ProductRef]] = defaultdict(list)  # canon → products
        self.new_entities: list[EntityRef] = []
        self.tax_updates: list[EntityRef] = []
        self._places: dict[int, Place] = {}
        # (kind, stars, date) → (kind, problem, warning) of the first line of a history.
        self._first_lines: dict[tuple, tuple[str, str | None, str | None]] = {}

    def _place(self, unit: AdminUnit) -> Place:
        """One Place per commune object (the resolver hands out the same object for the same commune)."""
        place = self._places.get(id(unit))
        if place is None:
            place = self._places[id(unit)] = place_of(unit)
        return place

    def error(self, row: EventRow, column: str, message: str) -> None:
        self.errors.append(row.sheet.error(row.row, column, message))
        row.ok = False

    def warn(self, row: EventRow, column: str, message: str) -> None:
        self.warnings.append(row.sheet.warning(row.row, column, message))

    # -- loading what is stored -------------------------------------------------------------------------

    def _load(self, rows: list[EventRow]) -> None:
        communes = {id(r.commune): r.commune for r in rows if r.commune is not None}  # (a few hundred)
        canons = {self._place(commune).canon for commune in communes.values()}
        taxes = {r.tax_code for r in rows if r.tax_code}
        refs: dict[int, EntityRef] = {}
        places: dict[int, Place] = {}
        for pk, name, tax_code, commune_id, successor_id, generation in stored_entities(
            communes=canons, tax_codes=taxes
        ):
            place = places.get(commune_id)
            if place is None:  # one Place per commune (read-only), not one per entity or product
                place = places[commune_id] = place_from(commune_id, successor_id, generation)
            ref = EntityRef(place, name, tax_code, pk=pk)
            refs[pk] = ref
            if tax_code:
                self.by_tax[tax_code] = ref
            self.by_name[(ref.place.canon, identity_key(name))].append(ref)
        for pk, name, entity_id, commune_id, successor_id, generation in stored_products(entity_ids=refs):
            place = places.get(commune_id)
            if place is None:
                place = places[commune_id] = place_from(commune_id, successor_id, generation)
            self._add_product(ProductRef(refs[entity_id], place, name, pk=pk))

    def _add_product(self, ref: ProductRef) -> None:
        canon = ref.place.canon
        self.products[(ref.entity.key, canon, identity_key(ref.name))].append(ref)
        self.by_owner[(ref.entity.key, canon)].append(ref)
        self.by_canon[canon].append(ref)

    def _load_events(self, products: list[ProductRef]) -> None:
        """The stored lines of these products."""
        by_pk = {p.pk: p for p in products if p.pk is not None}
        for pk, product_id, kind, stars, day, number in stored_lines(product_ids=by_pk):
            product = by_pk[product_id]
            product.stored.append(Line(kind, stars, day, pk))
            product.recorded.add(kind, day, number, stars)

    # -- matching ---------------------------------------------------------------------------------------

    def _entity(self, row: EventRow) -> EntityRef:
        if row.tax_code and row.tax_code in self.by_tax:
            return self.by_tax[row.tax_code]
        commune = row.commune
        assert commune is not None  # a row is planned only when it is ok: its commune was found
        place = self._place(commune)
        name_key = (place.canon, identity_key(row.entity_name))
        ref = same_entity(self.by_name.get(name_key, ()), place=place, tax_code=row.tax_code)
        if ref is not None:
            if row.tax_code:  # the entity of that name without a number: it is the one the number names
                ref.tax_code = row.tax_code
                if ref.pk is not None:
                    ref.tax_update = True
                    self.tax_updates.append(ref)
                self.by_tax[row.tax_code] = ref
            return ref
        ref = EntityRef(place, row.entity_name, row.tax_code)
        ref.new = NewEntity(row.entity_name, row.entity_type, commune)
        self.new_entities.append(ref)
        self.by_name[name_key].append(ref)
        if row.tax_code:
            self.by_tax[row.tax_code] = ref
        return ref

    def _product(self, row: EventRow, entity: EntityRef) -> ProductRef:
        commune = row.commune
        assert commune is not None  # a row is planned only when it is ok: its commune was found
        place = self._place(commune)
        key = (entity.key, place.canon, identity_key(row.product_name))
        ref = same_product(self.products.get(key, ()), place=place)
        if ref is not None:
            return ref
        alike = [
            other.name
            for other in self.by_owner.get((entity.key, place.canon), ())
            if other.place.same(place) and probably_same_name(row.product_name, other.name)
        ]
        if alike:
            names = "; ".join(f"“{name}”" for name in dict.fromkeys(alike))
            self.warn(
                row,
                H.PRODUCT,
                f"Sản phẩm mới “{row.product_name}” gần giống sản phẩm đã có của cùng chủ thể, cùng xã: "
                f"{names}. Kiểm tra lỗi chính tả trước khi xác nhận.",
            )
        ref = ProductRef(entity, place, row.product_name)
        ref.new = NewProduct(row.product_name, commune, row.group_code)
        self._add_product(ref)
        return ref

    def _closest(self, product: ProductRef) -> str:
        """The products of the same commune named most like this one (for a warning), as text."""
        others = {
            fold(other.name): other
            for other in self.by_canon.get(product.place.canon, ())
            if other is not product and other.place.same(product.place)
        }
        close = difflib.get_close_matches(fold(product.name), list(others), n=CLOSEST, cutoff=0.6)
        if not close:
            return ""
        names = "; ".join(f"“{others[key].name}” ({others[key].entity.name})" for key in close)
        return f" Sản phẩm gần giống đã có ở cùng xã: {names}."

    # -- history ----------------------------------------------------------------------------------------

    def _history(self, product: ProductRef, plan: Plan) -> None:
        lines = list(product.stored)
        recorded = product.recorded
        rows = product.rows
        if len(rows) > 1:
            rows.sort(key=_DATE_ORDER)
        events = plan.events
        first_new: dt.date | None = None
        for row in rows:
            given, day, stars, number = row.kind, row.decision_date, row.stars, row.decision_number
            assert day is not None  # a row is planned only when it is ok: it has its date
            if recorded.find(given, day, number, stars) is not None:
                plan.skipped += 1
                continue
            line_order = NEW_ORDER + row.order
            if lines:
                kind = given or infer_kind(lines, stars or 0, day)
                line = Line(kind, stars, day, line_order)
                note = unanchored(lines, line)
                problem = None if note else check_line(lines, line)
            else:
                # The first line of a history (most rows of a first import): the rules' answer is a pure
                # function of (kind, stars, date) then, worked out once per distinct triple.
                first = (given, stars, day)
                found = self._first_lines.get(first)
                if found is None:
                    first_kind = given or infer_kind([], stars or 0, day)
                    first_line = Line(first_kind, stars, day, NEW_ORDER)
                    note = unanchored([], first_line)
                    found = self._first_lines[first] = (
                        first_kind,
                        None if note else check_line([], first_line),
                        note,
                    )
                kind, problem, note = found
                line = Line(kind, stars, day, line_order)
            if recorded.contradicts(kind, day, number):
                self.error(row, H.STARS, CONTRADICTION)
                continue
            if problem:
                column = H.KIND if given else H.STARS
                self.error(row, column, problem)
                continue
            if note:
                self.warn(row, H.KIND, note + self._closest(product))
            lines.append(line)
            recorded.add(kind, day, number, stars)
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
                    (r for r in product.rows if r.ok and r.decision_date and r.decision_date <= line.date),
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
        # In date order (then file order): a new entity or product is registered under the commune of its
        # earliest row — the unit it was first recognised in — whatever order the file lists its rows in.
        rows = sorted((r for r in self.parsed.rows if r.ok), key=_DATE_ORDER)
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
                known = entity_of.get(entity_key)
                entity = known if known is not None else entity_of.setdefault(entity_key, self._entity(row))
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
        plan = Plan(
            parsed=self.parsed,
            errors=self.errors,
            warnings=self.warnings,
            rows=len(self.parsed.rows),
            snapshot=snapshot,
        )
        for product in products:
            self._history(product, plan)
        used = {id(p.entity) for p in products}
        plan.entities = [ref for ref in self.new_entities if id(ref) in used]
        plan.tax_updates = self.tax_updates
        plan.products = products
        order = {sheet.shown: index for index, sheet in enumerate(self.parsed.sheets)}
        plan.errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row, e.column))
        plan.warnings.sort(key=lambda e: (order.get(e.sheet, -1), e.row, e.column))
        return plan
