"""What an import reads of what is stored, in plain SQL with one query per chunk of ids (a re-import reads
every entity, product and line of the file back: no ORM query building for 900 ids per chunk, no per-row
iterator or value converters), and the snapshot that tells whether those tables changed since."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import Max

from ocop.certification.models import RecognitionEvent
from ocop.core.bulk import chunks, sql_names
from ocop.geography.models import AdminUnit
from ocop.producers.models import Entity
from ocop.products.models import Product

# (id, name, tax code, commune id, the commune's successor id, its generation)
EntityRow = tuple[int, str, str, int, int | None, str]
# (id, name, entity id, commune id, the commune's successor id, its generation)
ProductRow = tuple[int, str, int, int, int | None, str]


def _products_of_entities_sql() -> str:
    """SELECT of (id, name, entity id, commune id, its successor id, its generation) of the products of some
    entities; ``{}`` stands for the placeholders of the entity ids."""
    products, (p_id, p_name, p_entity, p_commune) = sql_names(Product, "id", "name", "entity", "commune")
    units, (u_id, u_successor, u_generation) = sql_names(AdminUnit, "id", "successor", "generation")
    return (
        # Quoted names from the models' metadata only; ids are %s placeholders filled in by the caller.
        f"SELECT p.{p_id}, p.{p_name}, p.{p_entity}, p.{p_commune}, u.{u_successor}, u.{u_generation} "  # noqa: S608
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
        # Quoted names from the models' metadata only; values are %s placeholders.
        f"SELECT e.{e_id}, e.{e_name}, e.{e_tax}, e.{e_commune}, u.{u_successor}, u.{u_generation} "  # noqa: S608
        f"FROM {entities} e INNER JOIN {units} u ON u.{u_id} = e.{e_commune} WHERE "
    )
    order = f" ORDER BY e.{e_key}, e.{e_id}"
    # The communes first (by their own and their successor's index), then their entities by the entities'
    # commune index: an OR across the join would scan every entity of the country.
    communes = f"SELECT c.{u_id} FROM {units} c WHERE c.{u_id} IN ({{}}) OR c.{u_successor} IN ({{}})"  # noqa: S608
    return (
        select + f"e.{e_commune} IN ({communes})" + order,
        select + f"e.{e_tax} IN ({{}})" + order,
    )


def stored_entities(*, communes: Iterable[int], tax_codes: Iterable[str]) -> list[EntityRow]:
    """The entities of these communes (or of the communes they became) and those of these tax codes, in
    the entities' own order (name key, id): (id, name, tax code, commune id, its successor id, its
    generation)."""
    found: dict[int, EntityRow] = {}
    by_place, by_tax = _entities_sql()
    with connection.cursor() as cursor:
        for part in chunks(communes):
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(by_place.format(marks, marks), [*part, *part])
            for values in cursor.fetchall():
                found[values[0]] = values
        for codes in chunks(tax_codes):
            cursor.execute(by_tax.format(", ".join(["%s"] * len(codes))), codes)
            for values in cursor.fetchall():
                found[values[0]] = values
    return list(found.values())


def stored_products(*, entity_ids: Iterable[int]) -> Iterator[ProductRow]:
    """The products of these entities: (id, name, entity id, commune id, its successor id, its
    generation)."""
    sql = _products_of_entities_sql()
    with connection.cursor() as cursor:
        for part in chunks(entity_ids):
            cursor.execute(sql.format(", ".join(["%s"] * len(part))), part)
            yield from cursor.fetchall()


def stored_lines(*, product_ids: Iterable[int]) -> Iterator[tuple[int, int, str, int | None, dt.date, str]]:
    """The recognition events of these products as (id, product id, kind, stars, date, decision number), by
    date then id."""
    table, names = sql_names(
        RecognitionEvent, "id", "product", "kind", "stars", "decision_date", "decision_number"
    )
    columns = ", ".join(names)
    id_column, product_column, date_column = names[0], names[1], names[4]
    days: dict[object, dt.date] = {}
    with connection.cursor() as cursor:
        for part in chunks(product_ids):
            cursor.execute(
                # The model's quoted names; the product ids are %s placeholders.
                f"SELECT {columns} FROM {table} WHERE {product_column} IN "  # noqa: S608
                f"({', '.join(['%s'] * len(part))}) ORDER BY {date_column}, {id_column}",
                part,
            )
            for pk, product_id, kind, stars, raw_day, number in cursor.fetchall():
                day = days.get(raw_day)
                if day is None:  # SQLite returns the ISO text, PostgreSQL a date
                    day = days[raw_day] = (
                        raw_day if isinstance(raw_day, dt.date) else dt.date.fromisoformat(raw_day)
                    )
                yield pk, product_id, kind, stars, day, number


def database_snapshot() -> tuple[object, ...]:
    """What tells whether the tables a plan reads changed: if it differs before the plan is written, the
    plan is rebuilt inside the writing transaction. The highest ids, and on SQLite the connection's
    ``data_version`` (it changes when another connection commits), elsewhere the row counts — on SQLite
    nothing here reads a whole table, so a small file costs the same in a national database."""
    figures: list[object] = [
        model.objects.aggregate(top=Max("id"))["top"] for model in (Entity, Product, RecognitionEvent)
    ]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA data_version")
            figures.append(cursor.fetchone()[0])
    else:
        figures += [model.objects.count() for model in (Entity, Product, RecognitionEvent)]
    return tuple(figures)
