"""Writing an import plan: bulk INSERTs of entities, products and events, then the certificates.

The plan was validated row by row before it gets here, so no model is instantiated and nothing is
``full_clean``-ed: each table is written with ``ocop.core.bulk.BulkInsert`` (executemany on SQLite, COPY on
PostgreSQL, new ids read back in one query). The keys are those of the models (``entity_keys``,
``product_keys``). The certificates are then made what the events imply by the one service that does it,
``certification.services.certificates.certificates_sync``, which also tells the read models (the public
listing) which products changed.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ocop.certification.models import RecognitionEvent
from ocop.certification.services.certificates import certificates_sync
from ocop.core.bulk import BulkInsert, StoredDates, StoredScores, chunks
from ocop.core.text import fold
from ocop.producers.models import Entity, entity_keys
from ocop.products.models import Product, places_keys, product_keys

from .plan import Plan


def write_plan(plan: Plan, *, source: str) -> list[int]:
    """Store a checked plan (inside the caller's transaction); the ids of the products given events."""
    now = timezone.now()
    _write_entities(plan, now)
    _write_products(plan, now)
    _write_events(plan, now, source)
    touched = sorted({event.product.pk for event in plan.events})
    certificates_sync(product_ids=touched)
    return touched


def _write_entities(plan: Plan, now: dt.datetime) -> None:
    table = BulkInsert(
        Entity, ["name", "entity_type", "tax_code", "commune_id", "name_key", "search_key"], now=now
    )
    rows = [
        (
            ref.new.name,
            ref.new.entity_type,
            ref.tax_code,
            ref.new.commune.id,
            *entity_keys(name=ref.new.name, tax_code=ref.tax_code),
        )
        for ref in plan.entities
    ]
    for ref, pk in zip(plan.entities, table.insert(rows, ids=True), strict=True):
        ref.pk = pk
    codes = {ref.pk: ref.tax_code for ref in plan.tax_updates}
    for part in chunks(codes):  # a stored entity without a number gets the one the file gives
        for entity in Entity.objects.filter(pk__in=part).only("id", "name", "address"):
            entity.tax_code = codes[entity.pk]
            entity.refresh_keys()
            Entity.objects.filter(pk=entity.pk).update(
                tax_code=entity.tax_code, search_key=entity.search_key, updated_at=now
            )


def _write_products(plan: Plan, now: dt.datetime) -> None:
    new_products = plan.new_products
    if not new_products:
        return
    entity_keys_by_pk = {}  # stored entities: their name key
    stored = {ref.entity.pk for ref in new_products if ref.entity.new is None}
    for part in chunks(stored):
        entity_keys_by_pk.update(Entity.objects.filter(pk__in=part).values_list("id", "name_key"))
    places = places_keys(ref.new.commune.pk for ref in new_products)
    table = BulkInsert(
        Product, ["name", "entity_id", "commune_id", "group_code", "name_key", "search_key"], now=now
    )
    rows = []
    for ref in new_products:
        new, entity = ref.new, ref.entity
        entity_key = fold(entity.new.name) if entity.new is not None else entity_keys_by_pk[entity.pk]
        keys = product_keys(name=new.name, entity_name_key=entity_key, places_key=places[new.commune.pk])
        rows.append((new.name, entity.pk, new.commune.id, new.group_code, *keys))
    for ref, pk in zip(new_products, table.insert(rows, ids=True), strict=True):
        ref.pk = pk


def _write_events(plan: Plan, now: dt.datetime, source: str) -> None:
    table = BulkInsert(
        RecognitionEvent,
        ["product_id", "kind", "stars", "score", "decision_number", "decision_date", "source"],
        now=now,
    )
    date = StoredDates().__getitem__
    score_field = RecognitionEvent._meta.get_field("score")
    score = StoredScores(digits=score_field.max_digits, places=score_field.decimal_places).__getitem__
    table.insert(
        [
            (
                event.product.pk,
                event.kind,
                event.row.stars,
                score(event.row.score),
                event.row.decision_number,
                date(event.row.decision_date),
                f"{source}, {event.row.where}"[:200],
            )
            for event in plan.events
        ]
    )
