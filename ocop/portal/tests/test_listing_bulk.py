"""The bulk listing refresh writes what ``_listing_row`` computes, and keeps the SQLite FTS index right."""

from __future__ import annotations

import pytest
from django.db import connection

from ocop.certification.models import Certificate
from ocop.portal import services
from ocop.portal.models import PortalListing
from ocop.portal.search import SearchQuery, listing_search
from ocop.products.models import Product

pytestmark = pytest.mark.django_db
FIELDS = [f.attname for f in PortalListing._meta.concrete_fields if f.name != "refreshed_at"]


def _expected() -> list[tuple]:
    rows = []
    for product in Product.objects.select_related(
        "entity", "commune__parent", "commune__province", "commune__successor__province"
    ).order_by("pk"):
        certificates = list(Certificate.objects.filter(product=product).order_by("valid_from", "id"))
        if certificates and certificates[-1].ended_on is None:
            row = services._listing_row(product, certificates[-1])
            rows.append(tuple(getattr(row, name) for name in FIELDS))
    return rows


@pytest.mark.parametrize("rebuild_from", [1, 10**9], ids=["fts-rebuild", "fts-triggers"])
def test_bulk_refresh_matches_model_rows_and_search(portal, monkeypatch, rebuild_from):
    monkeypatch.setattr(services, "FTS_REBUILD_FROM", rebuild_from)
    PortalListing.objects.all().delete()
    written = services.listing_refresh(product_ids=Product.objects.values_list("pk", flat=True))
    stored = list(PortalListing.objects.order_by("pk").values_list(*FIELDS))
    assert written == len(stored) == 4  # mien, che, keo (expired), homestay; ruou revoked, banh never
    assert stored == _expected()
    result = listing_search(SearchQuery(q="mien dong", include_expired=True))
    assert result.items[0].pk == portal.mien.pk  # (the entity's other products match its name too)
    assert portal.che.pk not in [item.pk for item in result.items]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'portal_listing_fts_a%'")
            assert cursor.fetchone()[0] == 3  # insert, delete and update triggers all in place
    # Later single writes still reach the index through the triggers.
    Product.objects.filter(pk=portal.che.pk).update(name="Chè Tà Xùa", name_key="che ta xua")
    Product.objects.get(pk=portal.che.pk).save()
    services.listing_refresh(product_ids=[portal.che.pk])
    assert [i.pk for i in listing_search(SearchQuery(q="ta xua")).items] == [portal.che.pk]
    assert not listing_search(SearchQuery(q="shan tuyet")).items


@pytest.mark.parametrize(
    "name_key",
    [
        "mien dong na ri",
        "banh gio 2 loai 1",
        "Mien Dong",
        " mien dong",
        "mien dong ",
        "keo_lac",
        "che  shan-tuyet -- loai 1",
        "_keo_ lac!",
        "  ",
        "ca phe (500g)",
        "mật ong",
        "ｆｕｌｌ",
    ],
)
def test_listing_slug_is_slugify_of_the_name_key(name_key):
    from django.utils.text import slugify

    assert services._slug(name_key) == (slugify(name_key)[:100] or "san-pham")


def test_bulk_refresh_in_many_chunks_and_statements_writes_the_same_rows(portal, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 1)
    monkeypatch.setattr(services, "WRITE_ROWS", 2)
    services.listing_refresh(product_ids=Product.objects.values_list("pk", flat=True))  # rows to replace
    written = services.listing_refresh(product_ids=Product.objects.values_list("pk", flat=True))
    stored = list(PortalListing.objects.order_by("pk").values_list(*FIELDS))
    assert written == len(stored) == 4
    assert stored == _expected()
