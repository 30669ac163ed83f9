"""The bulk writer (store.py) leaves exactly what the models and certificates_sync would."""

from __future__ import annotations

import pytest

from ocop.certification.models import Certificate
from ocop.certification.services.certificates import certificates_sync
from ocop.imports.tests.helpers import row, run_import, write_csv
from ocop.producers.models import Entity
from ocop.products.models import Product

pytestmark = pytest.mark.django_db

BK = "Bắc Kạn"
CERT_FIELDS = (
    "id",
    "event_id",
    "product_id",
    "stars",
    "number",
    "valid_from",
    "valid_to",
    "ended_on",
    "end_reason",
    "created_at",
    "updated_at",
)


def certificates() -> list[tuple]:
    return list(Certificate.objects.order_by("id").values_list(*CERT_FIELDS))


def test_keys_and_certificates_match_the_models(tmp_path, world):
    first = write_csv(
        tmp_path / "a.csv",
        [
            row(
                "Chè Shan tuyết",
                "HTX Chè Hoà Bình",
                "Xã Nam Mẫu",
                "Huyện Ba Bể",
                BK,
                3,
                "10/01/2019",
                number="1/QĐ",
            ),
            row(
                "Chè Shan tuyết",
                "HTX Chè Hoà Bình",
                "Xã Nam Mẫu",
                "Huyện Ba Bể",
                BK,
                4,
                "10/06/2020",
                number="2/QĐ",
            ),
            row("Mật ong", "Cơ sở Nguyễn Thị Thuỷ", "Xã Côn Minh", "Huyện Na Rì", BK, 2, "05/05/2021"),
            row("Miến dong", "HTX Miến dong Xuân Dương", "Xã Ba Bể", "", "Thái Nguyên", 3, "15/08/2025"),
        ],
    )
    assert run_import(first)[0] == 0
    # A later file adds lines before and after the stored ones: stored certificates change end.
    later = write_csv(
        tmp_path / "b.csv",
        [
            row(
                "Chè Shan tuyết",
                "HTX Chè Hòa Bình",
                "Xã Nam Mẫu",
                "Huyện Ba Bể",
                BK,
                "",
                "01/03/2021",
                "Thu hồi",
                number="3/QĐ",
            ),
            row("Mật ong", "Cơ sở Nguyễn Thị Thủy", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "05/05/2022"),
        ],
    )
    code, report = run_import(later)
    assert code == 0, report

    for entity in Entity.objects.all():
        stored = (entity.name_key, entity.search_key)
        entity.refresh_keys()
        assert stored == (entity.name_key, entity.search_key)
    products = Product.objects.select_related(
        "entity", "commune__parent", "commune__province", "commune__successor__province"
    )
    assert products.count() >= 3
    for product in products:
        stored = (product.name_key, product.search_key)
        product.refresh_keys()
        assert stored == (product.name_key, product.search_key)

    before = certificates()
    assert before
    tea = Certificate.objects.get(product__name="Chè Shan tuyết", stars=4)
    assert (str(tea.ended_on), tea.end_reason) == ("2021-03-01", "revoked")
    certificates_sync(product_ids=Product.objects.values_list("id", flat=True))
    assert certificates() == before  # nothing left for certificates_sync to change


def test_tax_code_given_on_a_later_row_is_stored_for_a_new_entity(tmp_path):
    header = ["Tên sản phẩm", "Chủ thể", "Xã", "Huyện", "Tỉnh", "Hạng sao", "Ngày quyết định", "Mã số thuế"]
    path = write_csv(
        tmp_path / "mst.csv",
        [
            ["Bún khô", "HTX Hà Văn An", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/02/2021", ""],
            ["Bánh phở", "HTX Hà Văn An", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/02/2021", "4700123456"],
        ],
        header=header,
    )
    code, report = run_import(path)
    assert code == 0, report
    entity = Entity.objects.get(name="HTX Hà Văn An")
    assert entity.tax_code == "4700123456" and "4700123456" in entity.search_key


def test_imported_products_reach_the_public_listing_as_certificates_sync_leaves_it(tmp_path):
    from ocop.portal.models import PortalListing

    path = write_csv(
        tmp_path / "portal.csv",
        [
            row("Miến dong", "HTX Nông Văn Sáng", "Xã Côn Minh", "Huyện Na Rì", BK, 4, "01/03/2024"),
            row("Bún khô", "HTX Nông Văn Sáng", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/03/2021"),
            row(
                "Bún khô", "HTX Nông Văn Sáng", "Xã Côn Minh", "Huyện Na Rì", BK, "", "01/06/2022", "Thu hồi"
            ),
            # Listed from the values the import holds: the latest of two certificates; none for 2 stars.
            row("Măng khô", "Hộ Ma Văn Hùng", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/03/2020"),
            row("Măng khô", "Hộ Ma Văn Hùng", "Xã Côn Minh", "Huyện Na Rì", BK, 4, "01/09/2021"),
            row("Trà hoa", "Hộ Ma Văn Hùng", "Xã Côn Minh", "Huyện Na Rì", BK, 2, "01/09/2021"),
        ],
    )
    code, report = run_import(path)
    assert code == 0, report
    fields = [
        f.attname for f in PortalListing._meta.concrete_fields if f.get_internal_type() != "DateTimeField"
    ]
    listed = list(PortalListing.objects.order_by("pk").values_list(*fields))
    names = {name for (name,) in PortalListing.objects.values_list("name")}
    assert names == {"Măng khô", "Miến dong"}  # revoked: never
    assert PortalListing.objects.get(name="Măng khô").stars == 4
    certificates_sync(product_ids=Product.objects.values_list("id", flat=True))
    assert list(PortalListing.objects.order_by("pk").values_list(*fields)) == listed


def test_a_failure_while_writing_stores_nothing(tmp_path, monkeypatch):
    from ocop.certification.models import RecognitionEvent
    from ocop.imports import store

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "certificates_sync", broken)
    path = write_csv(
        tmp_path / "half.csv",
        [row("Măng khô", "HTX Ma Văn Hùng", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/03/2021")],
    )
    counts = (Entity.objects.count(), Product.objects.count(), RecognitionEvent.objects.count())
    with pytest.raises(RuntimeError, match="disk full"):
        run_import(path)
    assert (Entity.objects.count(), Product.objects.count(), RecognitionEvent.objects.count()) == counts
    assert not Entity.objects.filter(name="HTX Ma Văn Hùng").exists()


def _index_definitions() -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        return cursor.fetchall()


@pytest.mark.parametrize("fail", [False, True])
def test_indexes_deferred_during_a_bulk_write_come_back_identical(tmp_path, monkeypatch, fail):
    """SQLite: an import that at least doubles a table drops its plain indexes and creates them again from
    their own SQL; after the import (stored or failed) the schema is exactly what it was."""
    from django.db import connection

    from ocop.core import bulk
    from ocop.portal.models import PortalListing

    if connection.vendor != "sqlite":
        pytest.skip("indexes are deferred on SQLite only")
    monkeypatch.setattr(bulk, "MIN_ROWS", 1)
    dropped: list[str] = []
    real_create = bulk._create

    def create(indexes):
        dropped.extend(name for name, _sql in indexes)
        real_create(indexes)

    monkeypatch.setattr(bulk, "_create", create)
    if fail:

        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        from ocop.portal.services import listing as portal_listing

        monkeypatch.setattr(portal_listing, "listing_refresh", broken)
    before = _index_definitions()
    path = write_csv(
        tmp_path / "bulk.csv",
        [
            row("Miến dong", "HTX Nông Văn Sáng", "Xã Côn Minh", "Huyện Na Rì", BK, 4, "01/03/2024"),
            row("Bún khô", "HTX Nông Văn Sáng", "Xã Côn Minh", "Huyện Na Rì", BK, 3, "01/03/2021"),
        ],
    )
    if fail:
        with pytest.raises(RuntimeError, match="disk full"):
            run_import(path)
    else:
        code, report = run_import(path)
        assert code == 0, report
        assert PortalListing.objects.count() == 2
        assert {"product_entity_name_idx", "listing_group_stars_idx"} <= set(dropped)
    assert _index_definitions() == before
    assert Product.objects.filter(name_key="mien dong").count() == (0 if fail else 1)
