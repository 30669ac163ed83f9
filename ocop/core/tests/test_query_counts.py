"""List pages issue a bounded number of queries: the count must not grow between 3 and 30 rows (no N+1).

Each case fills the database with ``small`` rows, counts the queries of one GET, adds rows up to ``large``
and counts again. Rows come from the national generator (entities, products, histories, certificates,
portal listing) or are made directly for the other lists.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocop.demo.national import generate_national
from ocop.testing import make_admin

pytestmark = pytest.mark.django_db
SMALL, LARGE = 3, 30


def _count(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _national(n: int) -> None:
    from ocop.products.models import Product

    have = Product.objects.count()
    if n > have:
        from ocop.certification.models import Certificate, RecognitionEvent
        from ocop.portal.models import PortalListing
        from ocop.producers.models import Entity

        PortalListing.objects.all().delete()
        Certificate.objects.all().delete()
        RecognitionEvent.objects.all().delete()
        Product.objects.all().delete()
        Entity.objects.all().delete()
        generate_national(products=n, entities=n, seed=11)


def _audit(n: int) -> None:
    from ocop.core.models import AuditLog

    AuditLog.objects.bulk_create(
        AuditLog(username="quantri", action="update", model_label="products.product", object_pk=str(i))
        for i in range(n - AuditLog.objects.count())
    )


def _imports(n: int) -> None:
    from ocop.accounts.models import User
    from ocop.imports.models import ImportJob

    user = User.objects.get(username="quantri")
    for i in range(n - ImportJob.objects.count()):
        ImportJob.objects.create(user=user, file_name=f"danh-sach-{i}.csv")


def _feedback(n: int) -> None:
    from ocop.portal.models import Feedback
    from ocop.products.models import Product

    _national(LARGE)
    products = list(Product.objects.order_by("pk")[:n])
    for product in products[Feedback.objects.count() :]:
        Feedback.objects.create(product=product, kind="quality", message="Bao bì bị rách khi nhận hàng.")


def _dossiers(n: int) -> None:
    from ocop.evaluation.models import CriteriaVersion, Dossier
    from ocop.products.models import Product

    _national(LARGE)  # products first (dossiers protect them), then n dossiers
    version = CriteriaVersion.objects.order_by("pk").first()
    if version is None:
        from django.core.management import call_command

        call_command("load_criteria", "--set", "11", verbosity=0)
        version = CriteriaVersion.objects.order_by("pk").first()
    for product in Product.objects.select_related("entity").order_by("pk")[Dossier.objects.count() : n]:
        Dossier.objects.create(
            product=product,
            entity=product.entity,
            commune=product.commune,
            criteria_version=version,
            year=2026,
        )


def _dashboard_url() -> str:
    from ocop.geography.models import AdminUnit
    from ocop.portal.models import PortalListing

    province = PortalListing.objects.values_list("new_province_id", flat=True).first()
    return f"/thong-ke/?unit={AdminUnit.objects.get(pk=province).pk}&as_of=2026-06-30"


CASES: dict[str, tuple[Callable[[int], None], Callable[[], str] | str, bool]] = {
    # name: (fill up to n rows, url, signed in as admin)
    "entities": (_national, "/chu-the/", True),
    "products": (_national, "/san-pham/", True),
    "certificates": (_national, "/chung-nhan/", True),
    "certificates in force": (_national, "/chung-nhan/?trang_thai=in_force", True),
    "staff home work queue": (_national, "/quan-ly/", True),
    "audit": (_audit, "/quan-ly/nhat-ky/", True),
    "imports": (_imports, "/nhap-du-lieu/", True),
    "evaluation dossiers": (_dossiers, "/danh-gia/", True),
    "feedback moderation": (_feedback, "/quan-ly/phan-anh/?trang_thai=new", True),
    "targets dashboard": (_national, _dashboard_url, True),
    "portal search": (_national, "/tim-kiem/?het_han=1", False),
    "portal search with words": (_national, "/tim-kiem/?q=gao&het_han=1", False),
    "portal home": (_national, "/", False),
    "public products API": (_national, "/api/v1/products?include_expired=1", False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_list_page_query_count_does_not_grow_with_rows(client, name):
    fill, url, signed_in = CASES[name]
    admin = make_admin()
    if signed_in:
        client.force_login(admin)
    fill(SMALL)
    target = url() if callable(url) else url
    small = _count(client, target)
    fill(LARGE)
    target = url() if callable(url) else url
    large = _count(client, target)
    assert large <= small, f"{name}: {small} queries with {SMALL} rows, {large} with {LARGE} (N+1)"


def test_the_check_catches_an_n_plus_one(client):
    """The measurement itself can fail: a page reading each row's relation one by one is caught."""
    from django.urls import path

    from ocop.products.models import Product

    def naive(request):
        from django.http import HttpResponse

        names = [p.entity.name for p in Product.objects.all()]  # one query per product
        return HttpResponse(", ".join(names))

    urlpatterns = [path("naive/", naive)]
    from django.test import override_settings

    with override_settings(ROOT_URLCONF=type("Conf", (), {"urlpatterns": urlpatterns})):
        _national(SMALL)
        small = _count(client, "/naive/")
        _national(LARGE)
        large = _count(client, "/naive/")
    assert large > small
