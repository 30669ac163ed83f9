"""Open data (SPEC §5.4, issue 23): every product ever recognised — in force, expired and revoked — one row
each, as CSV, XLSX and JSON under /du-lieu-mo/, licensed CC BY 4.0.

Columns (``COLUMNS``): ``commune``/``province`` are today's units (2025 generation); ``old_commune``,
``old_district`` and ``old_province`` the units the product was registered under (for a product registered
under a 2025 commune: that commune and its province, no district). ``stars``, ``valid_until``,
``decision_number`` and ``decision_date`` are those of the product's latest certificate; ``status`` is
``in_force``, ``expired`` or ``revoked`` today (``certification.selectors.recognised_products``).

No personal data: the columns come from product, entity name and type, units and decisions; no field of the
privacy registry (``ocop.privacy.registry``: representatives, household owners, phones, ID numbers, e-mail,
addresses) is read — a test checks the columns against the registry.

Produced by chunks of 2,000 products and streamed (CSV, JSON); the finished file is kept compressed in the
shared cache under the portal's version (``ocop.portal.cache``), so it is served from there until the next
change to what it publishes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zlib
from collections.abc import Callable, Iterator

from django.core.cache import cache
from django.utils import timezone

from ocop.certification.selectors import RecognisedProduct, recognised_products
from ocop.geography.selectors import CommuneNames, commune_names

from .cache import page_cache_seconds, portal_version
from .models import PortalListing
from .search import today
from .sitemaps import path_of

COLUMNS = (
    "id", "name", "entity", "entity_type", "group", "stars", "status", "valid_until", "decision_number",
    "decision_date", "commune", "province", "old_commune", "old_district", "old_province", "url",
)  # fmt: skip
# Where each column comes from (model.field), checked against the privacy registry by the tests.
SOURCES = {
    "id": "products.product.id",
    "name": "products.product.name",
    "entity": "producers.entity.name",
    "entity_type": "producers.entity.entity_type",
    "group": "products.product.group_code",
    "stars": "certification.certificate.stars",
    "status": "certification.certificate.ended_on",
    "valid_until": "certification.certificate.valid_to",
    "decision_number": "certification.recognitionevent.decision_number",
    "decision_date": "certification.recognitionevent.decision_date",
    "commune": "geography.adminunit.name",
    "province": "geography.adminunit.name",
    "old_commune": "geography.adminunit.name",
    "old_district": "geography.adminunit.name",
    "old_province": "geography.adminunit.name",
    "url": "portal.portallisting.slug",
}
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.vi"
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CACHE_SECONDS = 24 * 3600  # an unchanged version stays valid; a change makes its key unreachable at once


def rows(*, absolute: Callable[[str], str], day: dt.date | None = None) -> Iterator[list[dict]]:
    """Rows as dicts in ``COLUMNS`` order, a chunk at a time."""
    day = day or today()
    places: dict[int, CommuneNames] = {}  # communes recur across chunks: each is read once
    for chunk in recognised_products(day=day):
        if not chunk:
            continue
        places.update(commune_names(ids={row.commune_id for row in chunk} - places.keys()))
        listed = PortalListing.objects.filter(pk__gte=chunk[0].id, pk__lte=chunk[-1].id)
        slugs = dict(listed.values_list("pk", "slug"))
        yield [_row(row, places.get(row.commune_id), slugs.get(row.id), absolute) for row in chunk]


def _row(row: RecognisedProduct, place: CommuneNames | None, slug: str | None, absolute) -> dict:
    # The Vietnamese pages' addresses (the canonical ones), whatever the language of the request.
    if slug:
        path = path_of("portal:product", row.id, slug, language="vi")
    else:
        path = path_of("portal:product_short", row.id, language="vi")
    return {
        "id": row.id,
        "name": row.name,
        "entity": row.entity,
        "entity_type": row.entity_type,
        "group": row.group,
        "stars": row.stars,
        "status": row.status,
        "valid_until": row.valid_until.isoformat(),
        "decision_number": row.decision_number,
        "decision_date": row.decision_date.isoformat() if row.decision_date else "",
        "commune": place.new_commune if place else "",
        "province": place.new_province if place else "",
        "old_commune": place.name if place else "",
        "old_district": place.district if place else "",
        "old_province": place.province if place else "",
        "url": absolute(path),
    }


# -- formats -------------------------------------------------------------------------------------------------
def csv_chunks(chunks: Iterator[list[dict]]) -> Iterator[bytes]:
    """UTF-8 with a BOM (spreadsheets then read Vietnamese correctly), header first, then a piece per
    chunk."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    yield ("\ufeff" + buffer.getvalue()).encode()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(chunk)
        yield buffer.getvalue().encode()


def json_chunks(chunks: Iterator[list[dict]], *, generated_at: str, count: int) -> Iterator[bytes]:
    """``{"generated_at", "licence", "count", "items": [...]}`` written a chunk at a time."""
    head = json.dumps({"generated_at": generated_at, "licence": LICENCE, "count": count}, ensure_ascii=False)
    yield (head[:-1] + ', "items": [').encode()
    first = True
    for chunk in chunks:
        if not chunk:
            continue
        text = ", ".join(json.dumps(row, ensure_ascii=False) for row in chunk)
        yield (text if first else ", " + text).encode()
        first = False
    yield b"]}"


def xlsx_bytes(chunks: Iterator[list[dict]]) -> bytes:
    from openpyxl import Workbook

    from ocop.core.exports import safe_cell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("san-pham-ocop")
    sheet.append(list(COLUMNS))
    for chunk in chunks:
        for row in chunk:
            sheet.append([safe_cell(row[column]) for column in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count() -> int:
    from ocop.certification.selectors import recognised_product_count

    return recognised_product_count()


# -- the stored copy -----------------------------------------------------------------------------------------
def _key(fmt: str, version: int, origin: str) -> str:
    return f"portal:opendata:{fmt}:{version}:{origin}"


def stored(fmt: str, origin: str) -> bytes | None:
    """The file of this format for the current portal version, if produced since the last change."""
    if page_cache_seconds() <= 0:
        return None
    packed = cache.get(_key(fmt, portal_version(), origin))
    return zlib.decompress(packed) if packed is not None else None


def store(fmt: str, origin: str, version: int, body: bytes) -> None:
    if page_cache_seconds() > 0 and version == portal_version():
        cache.set(_key(fmt, version, origin), zlib.compress(body, 6), timeout=CACHE_SECONDS)


def generated_at() -> str:
    return timezone.localtime().replace(microsecond=0).isoformat()
