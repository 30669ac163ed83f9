"""Writes of the portal: the public listing (read model) and community feedback."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from ocop.certification.selectors import certified_product_ids
from ocop.core import ratelimit
from ocop.core.audit import audit_record
from ocop.core.bulk import indexes_deferred
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.core.scoping import CHANGE
from ocop.core.text import unaccent
from ocop.geography.choices import Generation
from ocop.products.selectors import product_names

from .cache import portal_changed
from .choices import FeedbackKind, FeedbackStatus
from .models import Feedback, PortalListing

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ocop.accounts.models import User
    from ocop.products.models import Product

FEEDBACK_MAX_UPLOAD = 8 * 1024 * 1024
FEEDBACK_MAX_SIDE = 1600


def slug_for(text: str) -> str:
    return slugify(unaccent(text))[:100] or "san-pham"


# -- the public listing (read model) ------------------------------------------------------------------
# One row per product whose latest certificate has not ended. ``_LISTING_SQL`` is the one definition of a
# row: the database builds every row of a refresh from the products, entities, certificates and units in
# one INSERT … SELECT (set-based, whatever the number of products); only the slug, made from the product's
# name by Django's slugify, is computed here and handed over with the ids.

_LISTING_COLUMNS = (
    "product_id", "name", "slug", "name_key", "entity_key", "search_key", "entity_id", "entity_name",
    "group_code", "stars", "certificate_id", "certificate_number", "valid_from", "valid_to", "commune_id",
    "commune_name", "district_name", "province_id", "province_name", "new_commune_id", "new_province_id",
    "latitude", "longitude", "refreshed_at",
)  # fmt: skip

# {refresh}: the products refreshed with their slugs, as a row source (product_id, slug), read once
# (MATERIALIZED: a planner could otherwise re-read it for every row it is joined to).
# A listing row places its product in its own commune, the commune's district and province, and the 2025
# commune and province it lies in now (itself, or its successor), at its own position or, lacking one, the
# 2025 commune's.
_LISTING_SQL = """
WITH refresh AS MATERIALIZED {refresh}
INSERT INTO portal_portallisting ({columns})
SELECT p.id, p.name, r.slug, p.name_key, e.name_key, substr(p.search_key, 1, 800), p.entity_id, e.name,
       p.group_code, c.stars, c.id, c.number, c.valid_from, c.valid_to, p.commune_id,
       u.name, CASE WHEN parent.level = 'district' THEN parent.name ELSE '' END,
       COALESCE(u.province_id, u.id), CASE WHEN u.province_id IS NULL THEN u.name ELSE province.name END,
       n.id, n.province_id,
       CASE WHEN (u.latitude IS NULL OR u.longitude IS NULL) AND n.id IS NOT NULL
            THEN n.latitude ELSE u.latitude END,
       CASE WHEN (u.latitude IS NULL OR u.longitude IS NULL) AND n.id IS NOT NULL
            THEN n.longitude ELSE u.longitude END,
       %s
FROM refresh r
INNER JOIN products_product p ON p.id = r.product_id
INNER JOIN producers_entity e ON e.id = p.entity_id
INNER JOIN (
    SELECT id, product_id, stars, number, valid_from, valid_to, ended_on,
           ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY valid_from DESC, id DESC) AS latest
    FROM certification_certificate
    WHERE product_id IN (SELECT product_id FROM refresh)
) c ON c.product_id = p.id AND c.latest = 1 AND c.ended_on IS NULL
INNER JOIN geography_adminunit u ON u.id = p.commune_id
LEFT JOIN geography_adminunit parent ON parent.id = u.parent_id
LEFT JOIN geography_adminunit province ON province.id = u.province_id
LEFT JOIN geography_adminunit n
       ON n.id = CASE WHEN u.generation = '{legacy}' THEN u.successor_id ELSE u.id END
"""


@transaction.atomic
def listing_refresh(*, product_ids: Iterable[int]) -> int:
    """Bring the public listing of these products up to date; returns the rows written.

    A product is listed when its latest certificate (by valid_from, then id) has not been ended (revoked,
    or replaced by a non-OCOP result): in force or expired-not-renewed. Revoked products are never listed.

    Set-based: the products' rows are deleted, then built and inserted by the database in one statement
    (``_LISTING_SQL``). A refresh that at least doubles the listing builds the SQLite indexes once at the
    end (ocop.core.bulk) and the FTS index in one go; a small one (a 12-row file into a national database)
    keeps the triggers, so its cost follows the products refreshed, not the listing's size.
    """
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return 0
    bulk_fts = len(ids) >= FTS_REBUILD_FROM and _listing_size() <= len(ids) and _fts_triggers_off()
    with indexes_deferred(PortalListing._meta.db_table, adding=len(ids)):
        written = _listing_write(ids)
    if bulk_fts:
        _fts_rebuild_and_triggers_on()
    portal_changed()
    return written


def on_products_changed(sender: object, *, product_ids: list[int], **kwargs: object) -> None:
    """``ocop.core.signals.products_changed``: the listing follows the products' writes (same transaction)."""
    listing_refresh(product_ids=product_ids)


def _listing_size() -> int:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(PortalListing._meta.db_table)
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — the model's own table name
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def _slug(text: str) -> str:
    """slugify(text)[:100] or "san-pham", for the unaccented product name: slugify's own steps without its
    Unicode normalisation and lazy-string wrapper for plain text (tens of thousands per import)."""
    if _PLAIN_KEY.fullmatch(text):  # most unaccented names: words of [a-z0-9], one space apart
        slug = text.replace(" ", "-")
    elif text.isascii():
        slug = _SLUG_DASHES.sub("-", _SLUG_DROP.sub("", text.lower())).strip("-_")
    else:
        slug = slugify(text)
    return slug[:100] or "san-pham"


_PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_DASHES = re.compile(r"[-\s]+")


def _refresh_source(pairs: list[tuple[int, str]]) -> tuple[str, list[Any]]:
    """The (product_id, slug) pairs as a row source of one statement and its parameters: a JSON array read
    by json_each on SQLite, two arrays unnested on PostgreSQL (no IN list of thousands of placeholders)."""
    if connection.vendor == "postgresql":
        source = "(SELECT * FROM unnest(%s::bigint[], %s::text[]) AS pairs(product_id, slug))"
        return source, [[pk for pk, _slug in pairs], [slug for _pk, slug in pairs]]
    source = (
        "(SELECT CAST(json_extract(value, '$[0]') AS INTEGER) AS product_id, "
        "json_extract(value, '$[1]') AS slug FROM json_each(%s))"
    )
    return source, [json.dumps(pairs)]


def _listing_write(ids: list[int]) -> int:
    pairs = [
        (pk, _slug(unaccent(name)))  # the slug keeps "y" ("my-tho"): URLs read as names are written
        for pk, name in product_names(product_ids=ids)
    ]
    source, params = _refresh_source(pairs)
    now = PortalListing._meta.get_field("refreshed_at").get_db_prep_save(timezone.now(), connection)
    table = connection.ops.quote_name(PortalListing._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in _LISTING_COLUMNS)
    insert = _LISTING_SQL.format(columns=columns, refresh=source, legacy=Generation.LEGACY)
    with connection.cursor() as cursor:
        # The model's table and the row source above (a fixed text with %s parameters).
        cursor.execute(f"DELETE FROM {table} WHERE product_id IN (SELECT product_id FROM {source} r)", params)  # noqa: S608
        cursor.execute(insert, [*params, now])
        if connection.vendor == "sqlite":  # (Python's sqlite3 counts no rows for a statement led by WITH)
            cursor.execute("SELECT changes()")
            row = cursor.fetchone()
            return int(row[0]) if row else 0
        return max(int(cursor.rowcount), 0)


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
