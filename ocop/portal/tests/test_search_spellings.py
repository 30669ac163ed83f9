"""The public search and the API's ``q`` treat the final i/y spellings as equal (Sỹ = Sĩ, Kỳ = Kì), and keep
apart the rhymes "uy"/"ui" and a word starting with Y (issue 17 §2)."""

from __future__ import annotations

import pytest

from ocop import testing
from ocop.portal.models import PortalListing
from ocop.portal.search import SearchQuery, listing_search
from ocop.portal.tests.conftest import recognise

pytestmark = pytest.mark.django_db


@pytest.fixture
def spelled(world):
    entity = world.entities.nam_mau
    products = {
        "sy": testing.make_product(entity=entity, name="Trà giảo cổ lam Sỹ Bình"),
        "ki": testing.make_product(entity=entity, name="Miến dong Kì Lừa"),
        "tuy": testing.make_product(entity=entity, name="Bánh Tuy An"),
        "yen": testing.make_product(entity=entity, name="Mật ong Yên Bái"),
        "thuy": testing.make_product(entity=entity, name="Nước mắm Thuỷ Nguyên"),
    }
    for index, product in enumerate(products.values()):
        recognise(product, 3, 30 + index, f"{index}/QĐ")
    return products


def _found(q: str) -> set[int]:
    return {item.pk for item in listing_search(SearchQuery(q=q, include_expired=True)).items}


@pytest.mark.parametrize("q", ["Sĩ Bình", "sỹ bình", "si binh", "SY BINH"])
def test_either_final_i_or_y_finds_the_product(spelled, q):
    assert spelled["sy"].pk in _found(q)


@pytest.mark.parametrize("q", ["Kỳ Lừa", "ky lua", "Kì Lừa"])
def test_either_spelling_finds_a_name_written_with_i(spelled, q):
    assert spelled["ki"].pk in _found(q)


def test_tone_placement_and_diacritics_are_ignored_but_rhymes_and_an_initial_y_are_not(spelled):
    assert spelled["thuy"].pk in _found("Thủy Nguyên") and spelled["thuy"].pk in _found("thuy nguyen")
    assert spelled["tuy"].pk in _found("tuy an") and spelled["tuy"].pk not in _found("tui an")
    assert spelled["yen"].pk in _found("Yên Bái") and spelled["yen"].pk in _found("yen bai")
    listed = PortalListing.objects.get(pk=spelled["yen"].pk)
    assert "yen bai" in listed.search_key and listed.slug == "mat-ong-yen-bai"  # an initial Y stays


def test_the_api_q_treats_i_and_y_alike(client, spelled):
    for q in ("Sĩ Bình", "Sỹ Bình"):
        response = client.get("/api/v1/products", {"q": q, "include_expired": 1})
        assert response.status_code == 200
        assert spelled["sy"].pk in [item["id"] for item in response.json()["items"]]
