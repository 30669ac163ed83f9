"""`ocop demo-data --scale national` at a small size: deterministic, every record in its province."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from ocop.certification.models import Certificate, RecognitionEvent
from ocop.core.demo_national import generate_national
from ocop.geography.models import Generation
from ocop.geography.resolver import REFORM_DATE
from ocop.portal.models import PortalListing
from ocop.producers.models import Entity
from ocop.products.models import Product


def _fingerprint():
    products = list(
        Product.objects.order_by("id").values_list(
            "name", "entity__name", "entity__tax_code", "commune__code", "group_code", "search_key"
        )
    )
    events = list(
        RecognitionEvent.objects.order_by("id").values_list(
            "product__name", "kind", "stars", "score", "decision_number", "decision_date"
        )
    )
    certificates = list(
        Certificate.objects.order_by("id").values_list("number", "valid_from", "valid_to", "ended_on")
    )
    return products, events, certificates


def _wipe():
    PortalListing.objects.all().delete()
    Certificate.objects.all().delete()
    RecognitionEvent.objects.all().delete()
    Product.objects.all().delete()
    Entity.objects.all().delete()


@pytest.mark.django_db
def test_national_data_is_deterministic_and_consistent():
    first = generate_national(products=300, seed=7)
    assert (first.entities, first.products) == (150, 300)
    assert first.events >= 300 and first.certificates >= 290 and first.listed > 250
    assert len(first.by_province) > 20  # spread over the country, not one province
    once = _fingerprint()
    with pytest.raises(ValueError, match="CSDL trống"):
        generate_national(products=10, seed=7)
    _wipe()
    generate_national(products=300, seed=7)
    assert _fingerprint() == once
    _wipe()
    generate_national(products=300, seed=8)
    assert _fingerprint() != once

    # Every product lies in a commune of its entity's province; pre-reform products under legacy communes.
    products = Product.objects.select_related(
        "commune__successor", "entity__commune__successor"
    ).prefetch_related("events")
    for product in products:
        commune = product.commune.successor or product.commune
        entity_commune = product.entity.commune.successor or product.entity.commune
        assert commune.province_id == entity_commune.province_id, product
        first = min(e.decision_date for e in product.events.all())
        if product.commune.generation == Generation.LEGACY:
            assert first < REFORM_DATE, product
        elif first < REFORM_DATE:
            assert not product.commune.predecessors.exists(), product  # only when no legacy unit maps there
    # The keys are those the models compute.
    sample = Product.objects.order_by("?").first()
    stored = (sample.name_key, sample.search_key)
    sample.refresh_keys()
    assert (sample.name_key, sample.search_key) == stored


@pytest.mark.django_db
def test_demo_data_national_command_and_stats():
    out = io.StringIO()
    call_command("demo_data", "--scale", "national", "--products", "120", "--seed", "3", stdout=out)
    assert "34 tỉnh" in out.getvalue() and "120 sản phẩm" in out.getvalue()
    province = PortalListing.objects.values_list("new_province__name", flat=True).first()
    out = io.StringIO()
    call_command("stats", "--province", province, "--as-of", "2026-06-30", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert {"recognized_total", "by_star", "in_force_total", "by_year", "by_entity_type"} <= set(stats)
    assert stats["recognized_total"] >= 1
    assert sum(stats["by_star"].values()) == stats["recognized_total"]


@pytest.mark.django_db
def test_national_stamps_and_scans_are_consistent():
    from django.db.models import Min, Sum

    from ocop.core.demo_national import generate_stamps
    from ocop.traceability.models import Batch, Scan, Stamp

    generate_national(products=60, seed=5)
    result = generate_stamps(stamps=2_500, scans=10_000, seed=5)
    assert (result.batches, result.stamps, result.scans) == (3, 2_500, 10_000)
    assert Batch.objects.count() == 3 and Stamp.objects.filter(status="active").count() == 2_500
    assert Scan.objects.count() == 10_000
    assert Stamp.objects.aggregate(n=Sum("scan_count"))["n"] == 10_000
    # Every stamp's first scan is its earliest scan, after its activation; listed products only.
    stamp = Stamp.objects.filter(scan_count__gt=0).order_by("?").first()
    assert stamp.first_scan_at == Scan.objects.filter(stamp=stamp).aggregate(at=Min("at"))["at"]
    assert stamp.first_scan_at >= stamp.activated_at
    assert stamp.scan_count == Scan.objects.filter(stamp=stamp).count()
    assert not Batch.objects.exclude(product__portal_listing__isnull=False).exists()
