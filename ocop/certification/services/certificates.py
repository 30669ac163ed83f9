"""The certificates a product's recognition events imply (``certificate_values``: the one rule), kept so by
``certificates_sync`` for a form's one product as for an import's twenty thousand; it then tells the read
models which products changed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from ocop.core.bulk import BulkInsert, StoredDates, chunks, id_set, sql_names
from ocop.core.signals import notify_products_changed

from ..choices import CertificateStatus, EventKind
from ..history import OCOP_MIN_STARS
from ..models import Certificate, RecognitionEvent
from ..validity import valid_until


class CertificateValues(NamedTuple):
    """The fields of the certificate an event gives (a NamedTuple: an import works out tens of thousands)."""

    product_id: int
    stars: int | None  # 3–5 (an event below OCOP stars gives no certificate)
    number: str
    valid_from: dt.date
    valid_to: dt.date
    ended_on: dt.date | None
    end_reason: str


class EventLine(NamedTuple):
    """What ``certificate_values`` reads of a RecognitionEvent."""

    pk: int
    product_id: int
    kind: str
    stars: int | None
    decision_date: dt.date
    decision_number: str


_DATE_THEN_ID = attrgetter("decision_date", "pk")
_CERTIFICATE_FIELDS = ("stars", "number", "valid_from", "valid_to", "ended_on", "end_reason")


def certificate_values(events: Iterable[EventLine | RecognitionEvent]) -> dict[int, CertificateValues]:
    """Certificate fields per event id, from the events of one product: an OCOP star (3–5) gives a
    certificate of 36 months, ended early by the next event within them (revoked by a revocation,
    superseded by anything else). The one rule of certificates: ``certificates_sync`` applies it."""
    desired: dict[int, CertificateValues] = {}
    ordered = sorted(events, key=_DATE_THEN_ID)
    last = len(ordered) - 1
    for index, event in enumerate(ordered):
        if event.kind == EventKind.REVOCATION or (event.stars or 0) < OCOP_MIN_STARS:
            continue
        valid_to = valid_until(event.decision_date)
        ended_on, end_reason = None, ""
        following = ordered[index + 1] if index < last else None
        if following is not None and following.decision_date <= valid_to:
            ended_on = following.decision_date
            end_reason = (
                CertificateStatus.REVOKED
                if following.kind == EventKind.REVOCATION
                else CertificateStatus.SUPERSEDED
            )
        desired[event.pk] = CertificateValues(
            event.product_id,
            event.stars,
            event.decision_number,
            event.decision_date,
            valid_to,
            ended_on,
            end_reason,
        )
    return desired


@transaction.atomic
def certificates_sync(*, product_ids: Iterable[int]) -> None:
    """Make the certificates of these products exactly what their events imply (idempotent), then tell the
    read models (``notify_products_changed``).

    Set-based, for a form's one product as for an import's twenty thousand: events and certificates read as
    plain values (one query each, ``id_set``), new certificates written with ``BulkInsert``, changed ones
    with one executemany, vanished ones deleted."""
    ids = sorted({int(pk) for pk in product_ids})
    events: dict[int, list[EventLine]] = defaultdict(list)
    existing: dict[int, tuple[Any, ...]] = {}
    for line in (
        RecognitionEvent.objects.filter(product_id__in=id_set(ids))
        .order_by()
        .values_list("id", "product_id", "kind", "stars", "decision_date", "decision_number")
    ):
        events[line[1]].append(EventLine(*line))
    for pk, event_id, *fields in (
        Certificate.objects.filter(product_id__in=id_set(ids))
        .order_by()
        .values_list("id", "event_id", "product_id", *_CERTIFICATE_FIELDS)
    ):
        existing[event_id] = (pk, *fields)
    desired: dict[int, CertificateValues] = {}
    for product_events in events.values():
        desired.update(certificate_values(product_events))
    now = timezone.now()
    day = StoredDates().__getitem__
    created, updated = [], []
    for event_id, values in desired.items():
        stored = existing.pop(event_id, None)
        if stored is None:
            created.append((event_id, values.product_id, *_stored(values, day)))
        elif stored[1:] != tuple(values):
            updated.append((stored[0], values))
    BulkInsert(Certificate, ["event_id", "product_id", *_CERTIFICATE_FIELDS], now=now).insert(created)
    if updated:  # one statement for all (a file continuing many histories ends many certificates)
        table, columns = sql_names(Certificate, *_CERTIFICATE_FIELDS, "updated_at", "id")
        assignments = ", ".join(f"{column} = %s" for column in columns[:-1])
        stamp = Certificate._meta.get_field("updated_at").get_db_prep_save(now, connection)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {columns[-1]} = %s",  # noqa: S608 — names quoted
                [(*_stored(values, day), stamp, pk) for pk, values in updated],
            )
    for part in chunks(stored[0] for stored in existing.values()):
        Certificate.objects.filter(pk__in=part).delete()
    notify_products_changed(product_ids=ids)


def _stored(values: CertificateValues, day: Callable[[object], object]) -> tuple[Any, ...]:
    """The certificate's fields as stored (dates adapted for the backend)."""
    stars, number, valid_from, valid_to, ended_on, end_reason = values[1:]
    return stars, number, day(valid_from), day(valid_to), day(ended_on), end_reason
