"""The bulk listing refresh writes what the products' relations say, and keeps the SQLite FTS index right."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils.text import slugify

from ocop.certification.models import Certificate
from ocop.core.text import unaccent
from ocop.portal import fts
from ocop.portal.models import PortalListing
from ocop.portal.search import SearchQuery, listing_search
from ocop.portal.services import listing as services
from ocop.portal.slugs import slug_for
from ocop.products.models import Product

pytestmark = pytest.mark.django_db
FIELDS = [f.attname for f in PortalListing._meta.concrete_fields if f.name != "refreshed_at"]


def _listing_row(product: Product, certificate: Certificate) -> PortalListing:
    """The listing row of one product, read through the model instances' relations (an oracle written
    independently of the bulk path)."""
    commune = product.commune
    district = commune.parent if commune.parent_id and commune.parent.level == "district" else None
    province = commune.province or commune
    new_commune = commune if not commune.is_legacy else commune.successor
    new_province = new_commune.province if new_commune is not None else None
    lat, lon = commune.latitude, commune.longitude
    if (lat is None or lon is None) and new_commune is not None:
        lat, lon = new_commune.latitude, new_commune.longitude
    return PortalListing(
        product_id=product.pk,
        name=product.name,
        slug=slugify(unaccent(product.name))[:100] or "san-pham",
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


def _expected() -> list[tuple]:
    rows = []
    for product in Product.objects.select_related(
        "entity", "commune__parent", "commune__province", "commune__successor__province"
    ).order_by("pk"):
        certificates = list(Certificate.objects.filter(product=product).order_by("valid_from", "id"))
        if certificates and certificates[-1].ended_on is None:
            row = _listing_row(product, certificates[-1])
            rows.append(tuple(getattr(row, name) for name in FIELDS))
    return rows


@pytest.mark.parametrize("rebuild_from", [1, 10**9], ids=["fts-rebuild", "fts-triggers"])
def test_bulk_refresh_matches_model_rows_and_search(portal, monkeypatch, rebuild_from):
    monkeypatch.setattr(fts, "REBUILD_FROM", rebuild_from)
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
def test_listing_slug_is_slugify_of_the_unaccented_name(name_key):
    assert slug_for(name_key) == (slugify(unaccent(name_key))[:100] or "san-pham")


def test_a_second_refresh_replaces_the_rows_with_the_same_rows(portal):
    services.listing_refresh(product_ids=Product.objects.values_list("pk", flat=True))  # rows to replace
    written = services.listing_refresh(product_ids=Product.objects.values_list("pk", flat=True))
    stored = list(PortalListing.objects.order_by("pk").values_list(*FIELDS))
    assert written == len(stored) == 4
    assert stored == _expected()


def test_a_slug_keeps_the_name_s_own_y(portal):
    assert slug_for("Mỹ Tho") == "my-tho"
    assert slug_for("Gạo Mỹ Tú") == "gao-my-tu"
