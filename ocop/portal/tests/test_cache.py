"""Public page cache: hits for anonymous visitors, invalidated by any change shown on the pages."""

from __future__ import annotations

import pytest

from ocop.portal.cache import page_cache_seconds, portal_version
from ocop.products.services import product_update

pytestmark = pytest.mark.django_db


def test_off_with_a_per_process_cache():
    assert page_cache_seconds() == 0  # tests run on LocMemCache: nothing is cached unless asked


def test_product_page_cached_then_invalidated_by_a_rename(client, portal, page_cache):
    url = portal.mien.portal_listing.get_absolute_url()
    first = client.get(url)
    assert first["X-Portal-Cache"] == "miss" and "Miến dong Nam Mẫu" in first.content.decode()
    second = client.get(url)
    assert second["X-Portal-Cache"] == "hit"
    assert second.content.decode().count("Miến dong Nam Mẫu") == first.content.decode().count(
        "Miến dong Nam Mẫu"
    )
    before = portal_version()
    product_update(user=portal.world.users.admin, product=portal.mien, data={"name": "Miến dong Bản Mẫu"})
    assert portal_version() > before
    url = portal.mien.portal_listing.__class__.objects.get(pk=portal.mien.pk).get_absolute_url()
    fresh = client.get(url, follow=True)
    assert "Miến dong Bản Mẫu" in fresh.content.decode()
    home = client.get("/")
    assert "Miến dong Bản Mẫu" in home.content.decode() or home["X-Portal-Cache"] == "miss"


def test_search_and_home_invalidated_by_a_new_recognition(client, portal, page_cache):
    from ocop.portal.tests.conftest import recognise

    assert "Bánh khảo" not in client.get("/tim-kiem/?q=banh").content.decode()
    assert client.get("/tim-kiem/?q=banh")["X-Portal-Cache"] == "hit"
    recognise(portal.banh, 4, 5, "77/QĐ-UBND")
    page = client.get("/tim-kiem/?q=banh")
    assert page["X-Portal-Cache"] == "miss" and "Bánh khảo Nam Mẫu" in page.content.decode()


def test_signed_in_users_and_posts_are_not_cached(client, portal, page_cache):
    client.force_login(portal.world.users.admin)
    assert "X-Portal-Cache" not in client.get("/")


def test_each_visitor_gets_own_csrf_token_on_a_cached_page(portal, page_cache):
    from django.test import Client

    url = portal.mien.portal_listing.get_absolute_url()
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    assert one.get(url)["X-Portal-Cache"] == "miss"
    page = two.get(url)
    assert page["X-Portal-Cache"] == "hit"
    body = page.content.decode()
    assert "__OCOP_CSRF_TOKEN__" not in body
    token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = two.post(
        f"/san-pham-ocop/{portal.mien.pk}/phan-anh/",
        {"kind": "quality", "message": "Sản phẩm bị ẩm mốc khi mở gói.", "csrfmiddlewaretoken": token},
    )
    assert response.status_code in (302, 400)  # the CSRF check passed (403 otherwise)


def test_writes_of_everything_a_public_page_shows_bump_the_version():
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from ocop.portal.models import Feedback
    from ocop.producers.models import Entity
    from ocop.products.models import Product, ProductImage

    shown = [Product, Entity, ProductImage, Feedback]
    if apps.is_installed("ocop.support"):
        shown += list(apps.get_app_config("support").get_models())
    for model in shown:
        assert post_save.has_listeners(model) and post_delete.has_listeners(model), model
