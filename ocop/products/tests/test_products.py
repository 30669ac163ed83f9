from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.core.errors import ScopeError
from ocop.products import services
from ocop.products.gtin import gtin_is_valid
from ocop.products.models import Product


def test_gtin_check_digit():
    assert gtin_is_valid("4006381333931")  # a real EAN-13
    assert not gtin_is_valid("4006381333932")
    assert not gtin_is_valid("12345")


@pytest.mark.django_db
def test_producer_adds_product_to_own_entity(client, world):
    client.force_login(world.users.producer)
    from ocop.products.models import ProductSet

    product_set = ProductSet.objects.get(group__classification__is_current=True, number=6)
    response = client.post(
        reverse("products:product_create"),
        {
            "name": "Bún khô Nam Mẫu",
            "product_set": product_set.pk,
            "status": "active",
            "gtin": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    product = Product.objects.get(name="Bún khô Nam Mẫu")
    assert product.entity == world.entities.nam_mau
    assert product.commune == world.places.nam_mau
    assert product.group_code == "I"


@pytest.mark.django_db
def test_invalid_gtin_is_reported(client, world):
    client.force_login(world.users.province)
    response = client.post(
        reverse("products:product_create"),
        {
            "name": "Miến dong loại 2",
            "entity": world.entities.nam_mau.pk,
            "status": "active",
            "gtin": "4006381333932",
            "product_set": world.products.mien.product_set_id,
        },
    )
    assert response.status_code == 200
    assert "Mã GTIN không hợp lệ" in response.content.decode()
    assert not Product.objects.filter(name="Miến dong loại 2").exists()


@pytest.mark.django_db
def test_product_for_foreign_entity_is_refused(world):
    with pytest.raises(ScopeError):
        services.product_create(
            user=world.users.district,
            data={
                "name": "Kẹo lạc",
                "entity": world.entities.ha_tinh,
                "status": "active",
            },
        )


@pytest.mark.django_db
def test_product_search_matches_place_names_old_and_new(client, world):
    client.force_login(world.users.admin)
    successor = world.places.nam_mau_successor.short_name
    for query in ["ba be", "Bắc Kạn", "THAI NGUYEN", successor.upper()]:
        page = client.get(reverse("products:product_list"), {"q": query}).content.decode()
        assert "Miến dong Nam Mẫu" in page, query


@pytest.mark.django_db
def test_image_upload_is_reencoded_and_bad_files_refused(client, world, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users.producer)
    product = world.products.mien
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), "green").save(buffer, format="PNG")
    upload = SimpleUploadedFile(
        "anh.png", buffer.getvalue() + b"<script>alert(1)</script>", content_type="image/png"
    )
    client.post(reverse("products:product_image_add", args=[product.pk]), {"image": upload})
    image = product.images.get()
    data = image.image.read()
    assert b"<script>" not in data
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        reverse("products:product_image_add", args=[product.pk]), {"image": fake}, follow=True
    )
    assert product.images.count() == 1
    assert (
        "Tải lên một ảnh hợp lệ" in response.content.decode()
        or "hình ảnh" in response.content.decode().lower()
    )


@pytest.mark.django_db
def test_the_same_product_written_another_way_is_refused_by_the_form(client, world):
    """The import's rule of the same product (entity, name up to i/y and tone placement, place): the form
    refuses a second "Miến dong Nam Mẫu", also under the successor of its commune."""
    from ocop.products.models import ProductSet

    client.force_login(world.users.province)
    response = client.post(
        reverse("products:product_create"),
        {
            "name": "MIẾN DONG NAM MẪU",
            "entity": world.entities.nam_mau.pk,
            "commune": world.places.nam_mau_successor.pk,
            "product_set": ProductSet.objects.get(group__classification__is_current=True, number=6).pk,
            "status": "active",
            "gtin": "",
        },
    )
    assert response.status_code == 200
    assert "Chủ thể này đã có sản phẩm “Miến dong Nam Mẫu”" in response.content.decode()
    assert Product.objects.filter(entity=world.entities.nam_mau, name_key="mien dong nam mau").count() == 1


@pytest.mark.django_db
def test_another_tone_is_another_product_for_the_form_too(world):
    from ocop.products import services as product_services

    product = product_services.product_create(
        user=world.users.province,
        data={"name": "Miến dòng Nam Mẫu", "entity": world.entities.nam_mau, "commune": world.places.nam_mau},
    )
    assert product.pk and product.name == "Miến dòng Nam Mẫu"
