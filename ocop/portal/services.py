"""Writes of the portal: the public listing (read model) and community feedback."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from ocop.certification.selectors import certified_product_ids, latest_certificates, recognition_stands
from ocop.core import ratelimit
from ocop.core.audit import audit_record
from ocop.core.bulk import StoredDates, indexes_deferred
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.core.scoping import CHANGE
from ocop.core.text import fold
from ocop.geography.selectors import Place, commune_places
from ocop.products.selectors import listed_product_rows

from .cache import portal_changed
from .choices import FeedbackKind, FeedbackStatus
from .models import Feedback, PortalListing

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ocop.accounts.models import User
    from ocop.certification.models import Certificate
    from ocop.products.models import Product

CHUNK = 500
WRITE_ROWS = 20_000  # listing rows written per statement at most
FEEDBACK_MAX_UPLOAD = 8 * 1024 * 1024
FEEDBACK_MAX_SIDE = 1600


def slug_for(text: str) -> str:
    return slugify(fold(text))[:100] or "san-pham"


def _listing_row(product: Product, certificate: Certificate) -> PortalListing:
    """The listing row of one product (model instance; the bulk path below writes the same values)."""
    commune = product.commune
    parent = commune.parent if commune.parent_id else None
    district = parent if parent is not None and parent.level == "district" else None
    province = commune.province or commune
    new_commune = commune if not commune.is_legacy else commune.successor
    new_province = new_commune.province if new_commune is not None else None
    lat, lon = commune.latitude, commune.longitude
    if (lat is None or lon is None) and new_commune is not None:
        lat, lon = new_commune.latitude, new_commune.longitude
    return PortalListing(
        product_id=product.pk,
        name=product.name,
        slug=slugify(product.name_key)[:100] or "san-pham",
        # The product's own keys already hold the folded product, entity and place names (old and new).
        name_key=product.name_key,
        entity_key=product.entity.name_key,
        search_key=product.search_key[:800],
        entity_id=product.entity_id,
        entity_name=product.entity.name,
        group_code=product.group_code,
        stars=certificate.stars,
        certificate_id=certificate.pk,
        certificate_number=certificate.number,
        valid_from=certificate.valid_from,
        valid_to=certificate.valid_to,
        commune_id=commune.pk,
        commune_name=commune.name,
        district_name=district.name if district else "",
        province_id=province.pk,
        province_name=province.name,
        new_commune_id=new_commune.pk if new_commune else None,
        new_province_id=new_province.pk if new_province else None,
        latitude=lat,
        longitude=lon,
    )


# Columns written by listing_refresh, in order (refreshed_at last: the time of the refresh).
_LISTING_COLUMNS = (
    "product_id", "name", "slug", "name_key", "entity_key", "search_key", "entity_id", "entity_name",
    "group_code", "stars", "certificate_id", "certificate_number", "valid_from", "valid_to", "commune_id",
    "commune_name", "district_name", "province_id", "province_name", "new_commune_id", "new_province_id",
    "latitude", "longitude", "refreshed_at",
)  # fmt: skip


class ListedProduct(NamedTuple):
    """What a listing row takes from a product and its entity (the columns of the read-back query)."""

    id: int
    name: str
    name_key: str
    search_key: str
    entity_id: int
    entity_name: str
    entity_key: str
    group_code: str
    commune_id: int


class ListedCertificate(NamedTuple):
    """A product's latest certificate (by valid_from, then id): listed when it has not ended."""

    id: int
    stars: int
    number: str
    valid_from: object  # a date (SQLite's read-back: its ISO text)
    valid_to: object
    ended_on: object


@transaction.atomic
def listing_refresh(
    *,
    product_ids: Iterable[int],
    held: Mapping[int, tuple[ListedProduct, ListedCertificate | None]] | None = None,
) -> int:
    """Bring the public listing of these products up to date; returns the rows written.

    A product is listed when its latest certificate has not been ended (revoked, or replaced by a
    non-OCOP result): in force or expired-not-renewed. Revoked products are never listed.

    ``held``: products (a subset of ``product_ids``) the caller has just created in this transaction, with
    the values it holds and their latest certificate (None: none), e.g. the products of an import; they are
    not read back and have no listing row to delete yet. The others are read with plain SQL.

    Bulk path (issue 4: the import refreshes 20,000 products): plain value rows (no model instances, no ORM
    query building per chunk), one DELETE and one executemany INSERT per chunk; every row's values come
    from ``_listing_values``, those of ``_listing_row`` (a test compares both). A refresh that at least
    doubles the listing builds the SQLite indexes once at the end (ocop.core.bulk) and the FTS index in one
    go.
    """
    ids = sorted({int(pk) for pk in product_ids})
    bulk_fts = len(ids) >= FTS_REBUILD_FROM and _fts_triggers_off()
    with indexes_deferred(PortalListing._meta.db_table, adding=len(ids)):
        written = _listing_write(ids, held or {})
    if bulk_fts:
        _fts_rebuild_and_triggers_on()
    portal_changed()
    return written


def on_products_changed(sender: object, *, product_ids: list[int], **kwargs: object) -> None:
    """``ocop.core.signals.products_changed``: the listing follows the products' writes (same transaction)."""
    listing_refresh(product_ids=product_ids)


def _slug(name_key: str) -> str:
    """slugify(name_key)[:100] or "san-pham"; name keys are folded, mostly plain ASCII: slugify's own
    steps without its Unicode normalisation and lazy-string wrapper for those (12,600 calls per import)."""
    if _PLAIN_KEY.fullmatch(name_key):  # what fold gives for most names: words of [a-z0-9], one space apart
        slug = name_key.replace(" ", "-")
    elif name_key.isascii():
        slug = _SLUG_DASHES.sub("-", _SLUG_DROP.sub("", name_key.lower())).strip("-_")
    else:
        slug = slugify(name_key)
    return slug[:100] or "san-pham"


_PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_DASHES = re.compile(r"[-\s]+")


def _listing_values(
    product: ListedProduct,
    certificate: ListedCertificate,
    place: Place,
    day: Callable[[Any], Any],
    now: object,
) -> tuple[Any, ...]:
    """The values of one listing row, in the order of _LISTING_COLUMNS (``place``: see
    ``geography.selectors.commune_places``)."""
    return (
        product.id,
        product.name,
        _slug(product.name_key),
        # The product's own keys already hold the folded product, entity and place names (old and new).
        product.name_key,
        product.entity_key,
        product.search_key[:800],
        product.entity_id,
        product.entity_name,
        product.group_code,
        certificate.stars,
        certificate.id,
        certificate.number,
        day(certificate.valid_from),
        day(certificate.valid_to),
        product.commune_id,
        *place,
        now,
    )


def _listing_write(ids: list[int], held: Mapping[int, tuple[ListedProduct, ListedCertificate | None]]) -> int:
    ops = connection.ops
    table = ops.quote_name(PortalListing._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in _LISTING_COLUMNS)
    marks = ", ".join(["%s"] * len(_LISTING_COLUMNS))
    # Only quoted names from the model's own metadata and %s placeholders are formatted in; plain statements
    # because an import refreshes 12,600 listing rows (docs/benchmarks.md: the ORM's bulk_create cost more).
    insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 — see above
    delete = f"DELETE FROM {table} WHERE product_id IN ({{}})"  # noqa: S608 — see above
    now = PortalListing._meta.get_field("refreshed_at").get_db_prep_save(timezone.now(), connection)
    places: dict[int, Place] = {}
    day = StoredDates().__getitem__  # read back: SQLite's ISO text (stored as is) or a date

    written = 0
    rows: list[tuple[Any, ...]] = []  # built, not yet written
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            # (product, its latest certificate) of the products listed: held by the caller or read back.
            listed = [
                (product, certificate)
                for product, certificate in (held[pk] for pk in chunk if pk in held)
                if certificate is not None
            ]
            unknown = [pk for pk in chunk if pk not in held]
            if unknown:
                latest = latest_certificates(product_ids=unknown)
                live = [pk for pk, certificate in latest.items() if recognition_stands(certificate)]
                listed += [
                    (ListedProduct(*row), ListedCertificate(*latest[row[0]]))
                    for row in listed_product_rows(product_ids=live)
                ]
                listed.sort(key=lambda pair: pair[0].id)
            listed = [pair for pair in listed if recognition_stands(pair[1])]
            commune_places(commune_ids={product.commune_id for product, _certificate in listed}, into=places)
            rows += [
                _listing_values(product, certificate, places[product.commune_id], day, now)
                for product, certificate in listed
            ]
            if unknown:  # (the held products have no row yet)
                cursor.execute(delete.format(", ".join(["%s"] * len(unknown))), unknown)
            if len(rows) >= WRITE_ROWS or start + CHUNK >= len(ids):
                # Written in few large statements: on PostgreSQL one COPY of 12,600 rows costs a fifth less
                # than 26 of 500 (psycopg's executemany would pay a round trip per row).
                if rows and connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                elif rows:
                    cursor.executemany(insert, rows)
                written += len(rows)
                rows = []
    return written


# -- SQLite FTS5 index of the listing (migration 0004) ----------------------------------------------
# Its triggers tokenise every deleted and inserted row one at a time: for a refresh of thousands of
# products (an import) it is cheaper to drop the insert/delete triggers inside the transaction, write,
# rebuild the external-content index from the table in one statement and put the triggers back.
FTS_REBUILD_FROM = 2_000


def _fts_triggers_off() -> bool:
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name IN ('portal_listing_fts_ai', 'portal_listing_fts_ad')"
        )
        if cursor.fetchone()[0] != 2:
            return False
        cursor.execute("DROP TRIGGER portal_listing_fts_ai")
        cursor.execute("DROP TRIGGER portal_listing_fts_ad")
    return True


def _fts_rebuild_and_triggers_on() -> None:
    import importlib

    create = importlib.import_module("ocop.portal.migrations.0004_sqlite_fts").CREATE
    triggers = [sql for sql in create if "portal_listing_fts_ai" in sql or "portal_listing_fts_ad" in sql]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO portal_listing_fts(portal_listing_fts) VALUES ('rebuild')")
        for sql in triggers:
            cursor.execute(sql)


def listing_rebuild() -> int:
    """Rebuild the whole listing (management command rebuild_portal_index)."""
    ids = certified_product_ids()
    with transaction.atomic():
        PortalListing.objects.exclude(product_id__in=ids).delete()
        return listing_refresh(product_ids=ids)


# -- community feedback ------------------------------------------------------------------------------
class RateLimited(Exception):
    """Too many reports from one address; the view answers 429."""


def _ip_key(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def feedback_rate_check(*, ip: str) -> None:
    """Count one submission for this address in the shared cache; raise RateLimited past the limit."""
    limit = getattr(settings, "PORTAL_FEEDBACK_LIMIT", 5)
    window = getattr(settings, "PORTAL_FEEDBACK_WINDOW_SECONDS", 3600)
    if not ratelimit.hit(f"portal:feedback:{ip}", limit, window):
        raise RateLimited("Bạn đã gửi quá nhiều phản ánh. Vui lòng thử lại sau một giờ.")


def _reencode_photo(upload: UploadedFile) -> bytes:
    """Content checked against the extension, then decoded and re-encoded as JPEG without any metadata."""
    from ocop.core.uploads import reencode_image

    content, _ext = reencode_image(
        upload, max_side=FEEDBACK_MAX_SIDE, max_bytes=FEEDBACK_MAX_UPLOAD, quality=82, field="photo"
    )
    return content


@transaction.atomic
def feedback_submit(
    *,
    product: Product,
    kind: str,
    message: str,
    ip: str,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    photo: UploadedFile | None = None,
) -> Feedback:
    feedback_rate_check(ip=ip)
    feedback = Feedback(
        product=product,
        kind=kind if kind in FeedbackKind.values else FeedbackKind.OTHER,
        message=message.strip(),
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_email=reporter_email.strip(),
        ip_hash=_ip_key(ip),
    )
    feedback.full_clean(exclude=["photo"])
    if photo:
        content = _reencode_photo(photo)
        # Private storage (never under MEDIA_URL) and an unguessable name: the photo is handed out by
        # views.feedback_photo to the moderating officers, and to everyone only once the report is public.
        feedback.photo.save(f"{secrets.token_urlsafe(18)}.jpg", ContentFile(content), save=False)
    feedback.save()
    audit_record(user=None, action=AuditLog.Action.CREATE, instance=feedback)  # anonymous: no contact in it
    return feedback


@transaction.atomic
def feedback_answer(*, user: User, feedback: Feedback, status: str, answer: str) -> Feedback:
    """Record the officers' answer; an answered report (with its answer) becomes public."""
    locked = Feedback.objects.for_user(user, CHANGE).select_for_update().filter(pk=feedback.pk).first()
    moderator = user.is_superuser or user.role in {"admin", "province_officer"}
    if locked is None or not moderator:
        raise ScopeError("Không tìm thấy phản ánh trong phạm vi của bạn.")
    if status not in FeedbackStatus.values or status == FeedbackStatus.NEW:
        raise ValidationError({"status": "Chọn kết quả xử lý."})
    if status == FeedbackStatus.ANSWERED and not answer.strip():
        raise ValidationError({"answer": "Cần nội dung trả lời trước khi công khai."})
    before = {"status": locked.status, "answer": locked.answer}
    locked.status = status
    locked.answer = answer.strip()
    locked.answered_by = user
    locked.answered_at = timezone.now()
    locked.full_clean(exclude=["photo"])
    locked.save()
    changes = {k: [v, getattr(locked, k)] for k, v in before.items() if v != getattr(locked, k)}
    audit_record(user=user, action=AuditLog.Action.UPDATE, instance=locked, changes=changes)
    return locked


def feedback_view_logged(*, user: User, feedback: Feedback) -> None:
    """Opening a report shows the reporter's contact details: personal data, so the view is logged."""
    if feedback.reporter_phone or feedback.reporter_email:
        audit_record(user=user, action=AuditLog.Action.VIEW_PERSONAL, instance=feedback)
