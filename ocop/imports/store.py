"""Writing an import plan: raw ``executemany`` INSERTs of entities, products, events and certificates.

The plan was validated row by row before it gets here, so no model is instantiated and nothing is
``full_clean``-ed: each table is written with one statement per batch (SQLite: the constant defaults of the
columns the import does not fill written into the statement, not bound to every row), its new ids are
read back with one query (SQLite: the range of ids above the table's highest id before the insert — the
import holds the database's write lock, ``transaction_mode=IMMEDIATE``; PostgreSQL: ids drawn from the
table's sequence first, then one ``COPY`` of all rows), and the certificates are worked out in memory from
the stored and the planned events with the same rule as ``ocop.certification.services.certificates_sync``
(``certificate_values``), instead of reading every event back. The products the import creates are listed
on the public portal from the values written here (``listing_refresh(held=…)``); products that already
existed are read back by the listing.

The folded keys are those of ``Entity.refresh_keys`` / ``Product.refresh_keys`` (same ``fold``, memoised);
a test compares them with what the models compute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from ocop.certification.models import Certificate, RecognitionEvent
from ocop.certification.services import CertificateValues, certificate_values
from ocop.core.bulk import StoredDates, indexes_deferred, sql_names
from ocop.geography.models import AdminUnit
from ocop.portal.services import ListedCertificate, ListedProduct, listing_refresh
from ocop.producers.models import Entity
from ocop.products.models import Product

from .plan import Plan, chunks
from .values import fold

RETURNING_BATCH = 1_000  # rows per INSERT … VALUES … RETURNING statement (PostgreSQL)
WRITE_BATCH = 5_000  # rows per executemany call


class _Event(NamedTuple):
    """What ``certificate_values`` reads of a RecognitionEvent."""

    pk: int
    product_id: int
    kind: str
    stars: int | None
    decision_date: dt.date
    decision_number: str


class _Table:
    """INSERT of some columns of a model's table; every other column gets its default (timestamps: now)."""

    def __init__(self, model: type[Model], columns: Sequence[str], now: dt.datetime) -> None:
        meta = model._meta
        self.model = model
        self.table = connection.ops.quote_name(meta.db_table)
        self.pk = connection.ops.quote_name(meta.pk.column)
        by_attname = {f.attname: f for f in meta.concrete_fields if not f.primary_key}
        self.fields = [by_attname[name] for name in columns]
        rest = [f for name, f in by_attname.items() if name not in columns]
        self.tail = tuple(
            f.get_db_prep_save(
                now
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else f.get_default(),
                connection,
            )
            for f in rest
        )
        names = [f.column for f in self.fields] + [f.column for f in rest]
        quote = connection.ops.quote_name
        self.columns = ", ".join(quote(name) for name in names)
        self.width = len(names)
        self.row_sql = "(" + ", ".join(["%s"] * self.width) + ")"
        # SQLite's executemany: the tail's plain constants written into the statement (binding the same
        # dozen defaults to every row costs about a third of a wide table's insert), the others bound.
        literal = [(f.column, _sql_literal(value)) for f, value in zip(rest, self.tail, strict=True)]
        bound = [(f.column, value) for (column, text), f, value in zip(literal, rest, self.tail, strict=True)
                 if text is None]  # fmt: skip
        literal = [(column, text) for column, text in literal if text is not None]
        self.bound_tail = tuple(value for _column, value in bound)
        sqlite_columns = [f.column for f in self.fields] + [c for c, _v in bound] + [c for c, _t in literal]
        self.sqlite_insert = (
            f"INSERT INTO {self.table} ({', '.join(quote(name) for name in sqlite_columns)}) VALUES ("
            + ", ".join(["%s"] * (len(self.fields) + len(bound)) + [text for _column, text in literal])
            + ")"
        )

    def insert(self, cursor, rows: list[tuple], *, ids: bool = False) -> list[int]:
        """Insert rows (values of the named columns, in order); their new ids in the same order if asked."""
        if not rows:
            return []
        if connection.vendor == "postgresql":
            return self._copy(cursor, rows, ids=ids)
        if ids and connection.vendor != "sqlite":
            return self._returning(cursor, rows)
        tail = self.bound_tail
        full = [row + tail for row in rows] if tail else rows
        before = 0
        if ids:
            cursor.execute(f"SELECT MAX({self.pk}) FROM {self.table}")
            before = cursor.fetchone()[0] or 0
        with indexes_deferred(self.model._meta.db_table, adding=len(full)):
            for part in chunks(full, WRITE_BATCH):
                cursor.executemany(self.sqlite_insert, part)
        if not ids:
            return []
        # The write lock is ours since the transaction began: the new rows are exactly those above `before`,
        # in insertion order (AUTOINCREMENT ids only grow).
        # They are consecutive (one statement per batch, nobody else writing): their range is read, not
        # every id.
        pk = self.pk
        cursor.execute(f"SELECT MIN({pk}), MAX({pk}), COUNT(*) FROM {self.table} WHERE {pk} > %s", [before])
        first, last, count = cursor.fetchone()
        if count != len(rows) or (count and last - first + 1 != count):
            raise RuntimeError(f"{self.table}: {count} new ids ({first}–{last}) for {len(rows)} rows")
        return list(range(first, last + 1)) if count else []

    def _copy(self, cursor, rows: list[tuple], *, ids: bool) -> list[int]:
        """PostgreSQL: ids drawn from the table's sequence in one query (safe beside concurrent writers),
        then one COPY of every row."""
        tail = self.tail
        columns = self.columns
        found: list[int] = []
        if ids:
            # The sequence looked up once, not once per drawn id.
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)",
                [self.model._meta.db_table, self.model._meta.pk.column],
            )
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(rows)])
            found = sorted(pk for (pk,) in cursor.fetchall())  # ascending, in the order of the rows
            columns = f"{self.pk}, {columns}"
        with cursor.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
            if ids:
                for pk, row in zip(found, rows, strict=True):
                    copy.write_row((pk, *row, *tail))
            else:
                for row in rows:
                    copy.write_row(row + tail)
        return found

    def _returning(self, cursor, rows: list[tuple]) -> list[int]:
        found: list[int] = []
        for part in chunks([row + self.tail for row in rows], RETURNING_BATCH):
            sql = (
                f"INSERT INTO {self.table} ({self.columns}) VALUES "
                + ", ".join([self.row_sql] * len(part))
                + f" RETURNING {self.pk}"
            )
            cursor.execute(sql, [value for row in part for value in row])
            found.extend(pk for (pk,) in cursor.fetchall())
        return found


def _sql_literal(value: object) -> str | None:
    """An SQLite literal storing exactly what binding ``value`` stores (None, bool, int, text without quotes
    or percent signs, which the cursor wrapper would read as placeholders); None when it is to be bound."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if type(value) is int:
        return str(value)
    if isinstance(value, str) and "'" not in value and "%" not in value and "\x00" not in value:
        return f"'{str.__str__(value)}'"
    return None


def _dates() -> Callable[[dt.date | None], object]:
    return StoredDates().__getitem__


class _StoredScores(dict):
    """score (or None) → its stored form, each distinct score formatted once (the backend's formatting
    costs ~25 µs; scores repeat). One per write: the form depends on the database."""

    def __init__(self) -> None:
        super().__init__()
        self.adapt = connection.ops.adapt_decimalfield_value

    def __missing__(self, value):
        stored = self[value] = None if value is None else self.adapt(value, 5, 2)
        return stored


def _place_names(commune: AdminUnit, cache: dict[int, list[str]]) -> list[str]:
    """The unit names Product.refresh_keys folds into a product's search key, in the same order."""
    names = cache.get(commune.pk)
    if names is None:
        names = [commune.name, commune.parent.name if commune.parent_id else ""]
        if commune.province_id:
            names.append(commune.province.name)
        if commune.successor_id and commune.successor_id != commune.pk:
            names += [commune.successor.name, commune.successor.province.name]
        cache[commune.pk] = names
    return names


def entity_keys(name: str, tax_code: str, address: str = "") -> tuple[str, str]:
    """(name_key, search_key) as Entity.refresh_keys computes them."""
    folded = fold(name)
    return folded, " ".join(filter(None, [folded, tax_code.lower(), fold(address)]))


def product_keys(name: str, entity_name: str, places: list[str]) -> tuple[str, str]:
    """(name_key, search_key) as Product.refresh_keys computes them (no product set on imported products)."""
    return fold(name), " ".join([fold(p) for p in (name, entity_name, *places) if p])


def write_plan(plan: Plan, *, source: str) -> list[int]:
    """Store a checked plan (inside the caller's transaction); the ids of the products given events."""
    now = timezone.now()
    with connection.cursor() as cursor:
        _write_entities(cursor, plan, now)
        listed = _write_products(cursor, plan, now)
        events = _write_events(cursor, plan, now, source)
        latest = _write_certificates(cursor, plan, events, now)
    touched = sorted({e.product.pk for e in plan.events})
    # What certificates_sync does after the certificates: the public portal's read model of these products.
    # The products this import created are listed from the values just written (not read back).
    held = {pk: (product, latest.get(pk)) for pk, product in listed.items()}
    listing_refresh(product_ids=touched, held=held)
    return touched


def _write_entities(cursor, plan: Plan, now: dt.datetime) -> None:
    table = _Table(Entity, ["name", "entity_type", "tax_code", "commune_id", "name_key", "search_key"], now)
    rows = []
    for ref in plan.entities:
        new = ref.new
        rows.append(
            (new.name, new.entity_type, ref.tax_code, new.commune.id, *entity_keys(new.name, ref.tax_code))
        )
    for ref, pk in zip(plan.entities, table.insert(cursor, rows, ids=True), strict=True):
        ref.pk = pk
    if plan.tax_updates:
        codes = {ref.pk: ref.set_tax_code for ref in plan.tax_updates}
        updates = []
        for part in chunks(codes):
            for pk, name, address in Entity.objects.filter(pk__in=part).values_list("id", "name", "address"):
                updates.append((codes[pk], entity_keys(name, codes[pk], address)[1], now, pk))
        cursor.executemany(
            f"UPDATE {table.table} SET tax_code = %s, search_key = %s, updated_at = %s WHERE id = %s",
            [
                (code, key, Entity._meta.get_field("updated_at").get_db_prep_save(at, connection), pk)
                for code, key, at, pk in updates
            ],
        )


def _write_products(cursor, plan: Plan, now: dt.datetime) -> dict[int, ListedProduct]:
    """Insert the new products; what the portal listing takes from each of them, by id."""
    new_products = plan.new_products
    if not new_products:
        return {}
    stored_entities = {ref.entity.pk for ref in new_products if ref.entity.new is None}
    names: dict[int, tuple[str, str]] = {}  # stored entity → (name, name_key)
    for part in chunks(stored_entities):
        for pk, name, name_key in Entity.objects.filter(pk__in=part).values_list("id", "name", "name_key"):
            names[pk] = (name, name_key)
    places: dict[int, list[str]] = {}
    communes = {ref.new.commune.pk: ref.new.commune for ref in new_products}
    for commune in AdminUnit.objects.filter(pk__in=list(communes)).select_related(
        "parent", "province", "successor__province"
    ):
        _place_names(commune, places)
    table = _Table(Product, ["name", "entity_id", "commune_id", "group_code", "name_key", "search_key"], now)
    rows = []
    for ref in new_products:
        new = ref.new
        entity = ref.entity
        if entity.new is not None:
            entity_name = entity.new.name
            entity_key = fold(entity_name)  # its name_key (entity_keys)
        else:
            entity_name, entity_key = names[entity.pk]
        rows.append(
            (
                new.name,
                entity.pk,
                new.commune.id,
                new.group_code,
                *product_keys(new.name, entity_name, places[new.commune.id]),
                entity_name,
                entity_key,
            )
        )
    listed: dict[int, ListedProduct] = {}
    ids = table.insert(cursor, [row[:6] for row in rows], ids=True)
    for ref, pk, row in zip(new_products, ids, rows, strict=True):
        ref.pk = pk
        name, entity_id, commune_id, group_code, name_key, search_key, entity_name, entity_key = row
        listed[pk] = ListedProduct(
            pk, name, name_key, search_key, entity_id, entity_name, entity_key, group_code, commune_id
        )
    return listed


_EVENT_PRODUCT = attrgetter("product.pk")
_PRODUCT_ID = attrgetter("product_id")


def _write_events(cursor, plan: Plan, now: dt.datetime, source: str) -> list[_Event]:
    # By product, then date and file order: a product's events are planned in (date, order) already
    # (Planner._history), and the sort is stable.
    ordered = sorted(plan.events, key=_EVENT_PRODUCT)
    table = _Table(
        RecognitionEvent,
        ["product_id", "kind", "stars", "score", "decision_number", "decision_date", "source"],
        now,
    )
    date = _dates()
    score = _StoredScores().__getitem__
    rows = [
        (
            e.product.pk,
            e.kind,
            e.row.stars,
            score(e.row.score),
            e.row.decision_number,
            date(e.row.decision_date),
            f"{source}, dòng {e.row.row}"[:200],
        )
        for e in ordered
    ]
    ids = table.insert(cursor, rows, ids=True)
    return [
        _Event(pk, e.product.pk, e.kind, e.row.stars, e.row.decision_date, e.row.decision_number)
        for e, pk in zip(ordered, ids, strict=True)
    ]


_CERTIFICATE_FIELDS = ("stars", "number", "valid_from", "valid_to", "ended_on", "end_reason")


def _write_certificates(
    cursor, plan: Plan, events: list[_Event], now: dt.datetime
) -> dict[int, ListedCertificate]:
    """The certificates of every product given events, exactly as certificates_sync would leave them.
    Returns the latest certificate (by valid_from, then id) of each product without stored events."""
    # The events come ordered by product (_write_events): grouped in one pass.
    by_product = {pk: list(group) for pk, group in groupby(events, key=_PRODUCT_ID)}
    with_history = []
    for product in plan.products:
        if product.pk in by_product and product.stored_events:
            with_history.append(product.pk)
            by_product[product.pk].extend(_Event(*values) for values in product.stored_events)
    desired: dict[int, CertificateValues] = {}
    for product_events in by_product.values():
        desired.update(certificate_values(product_events))
    existing: dict[int, tuple] = {}
    table_name, (product_column, *columns) = sql_names(
        Certificate, "product", "event", "id", *_CERTIFICATE_FIELDS
    )
    for part in chunks(with_history):
        # Plain SQL (a file continuing many histories reads their certificates back; no ORM rows).
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table_name} "
            f"WHERE {product_column} IN ({', '.join(['%s'] * len(part))})",
            part,
        )
        for values in cursor.fetchall():
            existing[values[0]] = values[1:]
    date = _dates()
    created, updated = [], []
    for event_id, values in desired.items():
        stored = existing.pop(event_id, None) if existing else None
        product_id, stars, number, valid_from, valid_to, ended_on, end_reason = values
        row = (stars, number, date(valid_from), date(valid_to), date(ended_on), end_reason)
        if stored is None:
            created.append((event_id, product_id, *row))
        elif stored[1:] != values[1:]:
            updated.append((*row, stored[0]))
    table = _Table(Certificate, ["event_id", "product_id", *_CERTIFICATE_FIELDS], now)
    created_ids = table.insert(cursor, created, ids=True)
    # Products without stored events have only these new certificates: their latest, for the listing.
    latest: dict[int, ListedCertificate] = {}
    continued = set(with_history)
    for pk, (event_id, product_id, *_row) in zip(created_ids, created, strict=True):
        if product_id in continued:
            continue
        values = desired[event_id]
        current = latest.get(product_id)
        if current is None or (values.valid_from, pk) > (current.valid_from, current.id):
            latest[product_id] = ListedCertificate(
                pk, values.stars, values.number, values.valid_from, values.valid_to, values.ended_on
            )
    if updated:
        stamp = Certificate._meta.get_field("updated_at").get_db_prep_save(now, connection)
        assignments = ", ".join(f"{connection.ops.quote_name(f)} = %s" for f in _CERTIFICATE_FIELDS)
        cursor.executemany(
            f"UPDATE {table.table} SET {assignments}, updated_at = %s WHERE id = %s",
            [(*row[:-1], stamp, row[-1]) for row in updated],
        )
    _delete(Certificate, (values[0] for values in existing.values()))
    return latest


def _delete(model: type[Model], pks: Iterable[int]) -> None:
    for part in chunks(pks):
        model.objects.filter(pk__in=part).delete()
