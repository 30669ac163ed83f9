"""`ocop demo-data --scale national` at a small size: the national history list (both generations, every
province), imported through the import, gives per-province counts that agree with the list itself."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from ocop.certification.models import Certificate, RecognitionEvent
from ocop.demo.national import BEFORE_MERGER, LAST_DAY, generate_national, national_history
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.imports.services.importing import import_apply
from ocop.legal.periods import REFORM_DATE
from ocop.portal.models import PortalListing
from ocop.producers.models import Entity
from ocop.products.models import Product
from ocop.targets.selectors import unit_stats

pytestmark = pytest.mark.django_db


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


def test_the_history_list_is_deterministic_and_names_every_province_of_both_generations():
    history = national_history(products=400, seed=7)
    assert history.rows == national_history(products=400, seed=7).rows
    assert history.rows != national_history(products=400, seed=8).rows
    assert (len(history.products), history.entities) == (400, 200)
    assert len(history.rows) == sum(len(product.lines) for product in history.products)
    assert len(history.provinces(Generation.LEGACY)) == 63
    assert len(history.provinces(Generation.REFORM_2025)) == 34
    dates = [row[12][-4:] + row[12][3:5] + row[12][:2] for row in history.rows]
    before = [
        row for row, day in zip(history.rows, dates, strict=True) if day < REFORM_DATE.strftime("%Y%m%d")
    ]
    after = [
        row for row, day in zip(history.rows, dates, strict=True) if day >= REFORM_DATE.strftime("%Y%m%d")
    ]
    assert before and after
    assert all(row[6] for row in before) and not any(row[6] for row in after)  # districts only before
    assert {row[7] for row in before} >= set(
        AdminUnit.objects.filter(level=Level.PROVINCE, generation=Generation.LEGACY).values_list(
            "name", flat=True
        )
    )
    assert {row[7] for row in after} == set(
        AdminUnit.objects.filter(level=Level.PROVINCE, generation=Generation.REFORM_2025).values_list(
            "name", flat=True
        )
    )


def test_the_imported_list_gives_the_counts_of_the_list_in_every_old_and_new_province():
    history = national_history(products=500, seed=5)
    outcome = import_apply(data=history.csv_bytes(), file_name="quoc-gia.csv", today=LAST_DAY)
    assert outcome.stored, [e.text for e in outcome.errors[:5]]
    assert (outcome.created_entities, outcome.created_products, outcome.events) == (
        history.entities,
        len(history.products),
        len(history.rows),
    )
    compared = 0
    for generation, as_of in ((Generation.LEGACY, BEFORE_MERGER), (Generation.REFORM_2025, LAST_DAY)):
        expected = history.expected(generation=generation, as_of=as_of)
        for province in AdminUnit.objects.filter(level=Level.PROVINCE, generation=generation):
            stats = unit_stats(province, as_of)
            counted = {
                "recognized_total": stats["recognized_total"],
                "by_star": {star: n for star, n in stats["by_star"].items() if n},
            }
            assert counted == expected.get(province.code, {"recognized_total": 0, "by_star": {}}), province
            compared += 1
    assert compared == 63 + 34
    # The same list again changes nothing.
    again = import_apply(data=history.csv_bytes(), file_name="quoc-gia.csv", today=LAST_DAY)
    assert again.stored and (again.created_products, again.events) == (0, 0)


def test_national_data_is_loaded_through_the_import_deterministically():
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
        first_day = min(e.decision_date for e in product.events.all())
        assert (product.commune.generation == Generation.LEGACY) == (first_day < REFORM_DATE), product
    # The keys are those the models compute.
    sample = Product.objects.order_by("?").first()
    stored = (sample.name_key, sample.search_key)
    sample.refresh_keys()
    assert (sample.name_key, sample.search_key) == stored


def test_demo_data_national_command_and_stats():
    out = io.StringIO()
    call_command("demo_data", "--scale", "national", "--products", "120", "--seed", "3", stdout=out)
    assert "120 sản phẩm" in out.getvalue()
    province = PortalListing.objects.values_list("new_province__name", flat=True).first()
    out = io.StringIO()
    call_command("stats", "--province", province, "--as-of", "2026-06-30", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert {"recognized_total", "by_star", "in_force_total", "by_year", "by_entity_type"} <= set(stats)
    assert stats["recognized_total"] >= 1
    assert sum(stats["by_star"].values()) == stats["recognized_total"]


def test_demo_data_writes_the_national_history_file(tmp_path):
    path = tmp_path / "lich-su.csv"
    out = io.StringIO()
    call_command(
        "demo_data", "--scale", "national", "--history-file", str(path), "--products", "200", stdout=out
    )
    assert "63 tỉnh cũ và 34 tỉnh mới" in out.getvalue()
    text = path.read_text(encoding="utf-8-sig")
    assert text.startswith('"DANH SÁCH SẢN PHẨM OCOP') and "Tên sản phẩm,Chủ thể" in text
    assert not Product.objects.exists()  # the file only


def test_national_stamps_and_scans_are_consistent():
    from django.db.models import Min, Sum

    from ocop.demo.stamps import generate_stamps
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
