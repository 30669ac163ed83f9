from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ITEM_KEYS = {"id", "name", "entity", "stars", "commune", "district", "province", "url"}


def get(client, path, **params):
    return client.get(f"/api/v1/products{path}", params)


def test_list_shape_is_exactly_the_contract(client, portal):
    response = get(client, "", q="mien dong")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "items"}
    assert body["count"] == 2  # the product, and another product of the same "HTX Miến dong…"
    item = body["items"][0]
    assert set(item) == ITEM_KEYS
    assert item["id"] == portal.mien.pk
    assert item["name"] == "Miến dong Nam Mẫu"
    assert item["entity"] == "HTX Miến dong Nam Mẫu"
    assert item["stars"] == 4
    assert item["commune"] == "Xã Nam Mẫu"
    assert item["district"] == "Huyện Ba Bể"
    assert item["province"] == "Tỉnh Bắc Kạn"
    assert item["url"].startswith("http://testserver/san-pham-ocop/")
    assert client.get(item["url"]).status_code == 200


def test_no_login_needed_and_best_match_first(client, portal):
    body = get(client, "", q="DONG THANG").json()
    assert body["items"][0]["name"] == "Chè Shan tuyết Đồng Thắng"


def test_in_force_only_unless_include_expired(client, portal):
    assert get(client, "", q="keo cu do").json() == {"count": 0, "items": []}
    body = get(client, "", q="keo cu do", include_expired=1).json()
    assert [i["name"] for i in body["items"]] == ["Kẹo cu đơ"]
    assert body["items"][0]["district"] is None  # a 2025 commune has no district


def test_revoked_never(client, portal):
    for params in ({}, {"include_expired": 1}, {"q": "ruou"}, {"q": "ruou", "include_expired": 1}):
        names = [i["name"] for i in get(client, "", **params).json()["items"]]
        assert "Rượu men lá Đồng Thắng" not in names
    assert get(client, f"/{portal.ruou.pk}").status_code == 404


def test_filters(client, portal):
    assert get(client, "", stars=5).json()["count"] == 1
    assert get(client, "", province="Thái Nguyên").json()["count"] == 3
    assert get(client, "", province="bac kan", group="VI").json()["count"] == 1
    assert get(client, "", province="Hà Tĩnh").json()["count"] == 0
    assert get(client, "", page=2).json() == {"count": 3, "items": []}


@pytest.mark.parametrize(
    "params",
    [
        {"page": 0},
        {"page": "abc"},
        {"stars": "x"},
        {"stars": 9},
        {"page": -1},
        {"include_expired": "peut-être"},
    ],
)
def test_bad_values_are_422_not_500(client, portal, params):
    response = get(client, "", **params)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_bad_group_is_422(client, portal):
    response = get(client, "", group="VII")
    assert response.status_code == 422  # the declared enum (issue 18)
    assert "nhóm" in response.json()["detail"] and response.json()["code"] == "invalid"


def test_detail(client, portal):
    body = get(client, f"/{portal.mien.pk}").json()
    assert body["id"] == portal.mien.pk and body["stars"] == 4
    assert body["certificate"]["number"] == "123/QĐ-UBND"
    assert body["certificate"]["in_force"] is True
    assert body["entity"]["name"] == "HTX Miến dong Nam Mẫu"
    assert body["unit"]["commune"] == "Xã Nam Mẫu" and body["unit"]["province_2025"]
    text = str(body)
    for secret in ("0912345678", "006123456789"):
        assert secret not in text


def test_detail_unknown_ids(client, portal):
    for path in ("/999999", f"/{portal.banh.pk}", "/99999999999999999999999"):
        response = get(client, path)
        assert response.status_code == 404
        assert response.json()["detail"]
    assert get(client, "/abc").status_code == 422


def test_openapi_documents_both_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/products" in schema["paths"]
    assert "/api/v1/products/{product_id}" in schema["paths"]
    props = schema["components"]["schemas"]["ProductItem"]["properties"]
    assert set(props) == ITEM_KEYS
