"""Permission matrix over the whole API (issue 10).

Every operation is read from the OpenAPI schema, so endpoints added later are covered automatically: each is
called anonymously, with a session and with a bearer token for every role of the ``world`` fixture.

* public operations (no ``security`` in the schema) answer anonymously; all others answer 401 anonymously
  and with a revoked token;
* a detail endpoint answers 200 for objects in the caller's scope and 404 for the others (same queryset as
  the pages: ``Model.objects.for_user``);
* a list endpoint never returns an id outside the caller's scope.

A new endpoint whose path parameter is an ``*_id`` must name its model in ``ID_MODELS`` (the test says so).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps

from ocop.accounts import twofactor
from ocop.api.urls import api
from ocop.certification.services.events import event_record
from ocop.core.text import fold

ROLES = ("admin", "province", "province_legacy", "district", "commune", "council", "producer", "outsider")
PREFIX = "/api/v1"
# path parameter → model label of the object it names (scoped with for_user)
ID_MODELS = {
    "entity_id": "producers.Entity",
    "product_id": "products.Product",
    "event_id": "certification.RecognitionEvent",
    "certificate_id": "certification.Certificate",
    "evaluation_id": "evaluation.Evaluation",
    "batch_id": "traceability.Batch",
}
# list path → model of its items' "id"
LIST_MODELS = {
    "/api/v1/entities": "producers.Entity",
    "/api/v1/registry/products": "products.Product",
    "/api/v1/recognitions": "certification.RecognitionEvent",
    "/api/v1/certificates": "certification.Certificate",
    "/api/v1/evaluations": "evaluation.Evaluation",
    "/api/v1/batches/": "traceability.Batch",
    "/api/v1/inspections": "inspections.Inspection",
    "/api/v1/funding/grants": "funding.Grant",
}
# non-id path parameters: a valid example value
EXAMPLES = {"kind": None, "code": "KHONGCO123"}


def _operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield path, method, op


def _is_public(op) -> bool:
    return not op.get("security")


def _path_params(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


@pytest.fixture
def matrix(world):
    day = dt.date(2025, 3, 1)
    for product in (world.products.mien, world.products.che, world.products.keo):
        event_record(product=product, stars=4, decision_date=day, decision_number=f"{product.pk}/QĐ")
    tokens = {}
    for role in ROLES:
        _row, tokens[role] = twofactor.token_create(user=getattr(world.users, role), name="matrix")
    return tokens


def _first_example(path_param: str) -> str:
    if path_param in EXAMPLES and EXAMPLES[path_param] is not None:
        return EXAMPLES[path_param]
    if path_param == "kind":
        from ocop.support.kinds import KINDS

        return next(iter(KINDS))
    return "1"


def _fill(path: str, **values) -> str:
    for name in _path_params(path):
        path = path.replace("{" + name + "}", str(values.get(name, _first_example(name))))
    return path


def test_every_id_parameter_is_classified():
    missing = {
        (path, name)
        for path, _m, op in _operations()
        if not _is_public(op)
        for name in _path_params(path)
        if name.endswith("_id") and name not in ID_MODELS
    }
    assert not missing, f"Thêm mô hình của các tham số này vào ID_MODELS: {sorted(missing)}"


@pytest.mark.django_db
def test_anonymous_and_revoked_token(client, world, matrix):
    revoked_user = world.users.admin
    row, revoked = twofactor.token_create(user=revoked_user, name="cũ")
    twofactor.token_revoke(user=revoked_user, token=row)
    checked = 0
    for path, method, op in _operations():
        url = _fill(path)
        response = getattr(client, method)(url)
        if _is_public(op):
            assert response.status_code < 500, (method, url)
            continue
        checked += 1
        assert response.status_code == 401, (method, url, response.status_code)
        body = response.json()
        assert body["code"] == "not_authenticated" and body["detail"]
        response = getattr(client, method)(url, headers={"Authorization": f"Bearer {revoked}"})
        assert response.status_code == 401, (method, url)
        garbage = getattr(client, method)(url, headers={"Authorization": "Bearer ocop_zz_not-a-token"})
        assert garbage.status_code == 401
    assert checked >= 10


def _visible_ids(label: str, user) -> set[int]:
    model = apps.get_model(label)
    return set(model.objects.for_user(user).values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("via", ["token", "session"])
def test_every_operation_follows_scope(client, world, matrix, role, via):
    user = getattr(world.users, role)
    if via == "session":
        client.force_login(user)
        headers = {}
    else:
        headers = {"Authorization": f"Bearer {matrix[role]}"}
    for path, method, op in _operations():
        if _is_public(op) or method != "get":
            continue
        params = _path_params(path)
        id_params = [p for p in params if p in ID_MODELS]
        if not id_params:
            url = _fill(path)
            response = client.get(url, {"page_size": 100} if path in LIST_MODELS else {}, headers=headers)
            assert response.status_code < 500, (role, url)
            assert response.status_code != 401, (role, url)
            if path in LIST_MODELS:
                assert response.status_code == 200, (role, url)
                body = response.json()
                items = body["items"] if isinstance(body, dict) else body  # a few lists are bare arrays
                listed = {item["id"] for item in items}
                allowed = _visible_ids(LIST_MODELS[path], user)
                assert listed <= allowed, (role, url, listed - allowed)
                assert listed == allowed or len(listed) == 100, (role, url)
            continue
        label = ID_MODELS[id_params[0]]
        model = apps.get_model(label)
        allowed = _visible_ids(label, user)
        for pk in model.objects.values_list("pk", flat=True):
            url = _fill(path, **{id_params[0]: pk})
            response = client.get(url, headers=headers)
            expected = 200 if pk in allowed else 404
            assert response.status_code == expected, (role, via, url, response.status_code)
            if expected == 404:
                assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_list_parameters_and_errors(client, world, matrix):
    headers = {"Authorization": f"Bearer {matrix['admin']}"}
    page = client.get("/api/v1/entities", {"page_size": 2, "ordering": "-name"}, headers=headers).json()
    assert page["count"] == 3 and page["page_size"] == 2 and len(page["items"]) == 2
    names = [i["name"] for i in page["items"]]
    assert names == sorted(names, key=fold, reverse=True)  # ordered like the pages: folded names
    second = client.get("/api/v1/entities", {"page_size": 2, "page": 2}, headers=headers).json()
    assert len(second["items"]) == 1
    too_big = client.get("/api/v1/entities", {"page_size": 101}, headers=headers)
    assert too_big.status_code == 422 and too_big.json()["code"] == "invalid"
    bad_order = client.get("/api/v1/certificates", {"ordering": "password"}, headers=headers)
    assert bad_order.status_code == 422 and "sắp xếp" in bad_order.json()["detail"]
    certs = client.get("/api/v1/certificates", {"status": "in_force"}, headers=headers).json()
    assert certs["count"] >= 0
    history = client.get(
        "/api/v1/recognitions", {"product_id": world.products.mien.pk}, headers=headers
    ).json()
    assert [i["product_id"] for i in history["items"]] == [world.products.mien.pk]


@pytest.mark.django_db
def test_token_acts_as_its_user_and_records_use(client, world):
    row, token = twofactor.token_create(user=world.users.district, name="đồng bộ")
    assert token.startswith("ocop_") and row.token_hash != token and token not in row.token_hash
    response = client.get("/api/v1/entities", headers={"Authorization": f"Bearer {token}"})
    assert {i["name"] for i in response.json()["items"]} == {"HTX Miến dong Nam Mẫu"}
    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.django_db
def test_expired_token_and_inactive_user_are_refused(client, world):
    from django.utils import timezone

    _row, expired = twofactor.token_create(
        user=world.users.admin, name="hết hạn", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get("/api/v1/entities", headers={"Authorization": f"Bearer {expired}"}).status_code == 401
    _row, token = twofactor.token_create(user=world.users.province, name="x")
    world.users.province.is_active = False
    world.users.province.save()
    assert client.get("/api/v1/entities", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.django_db
def test_openapi_schema_and_docs_page(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "TokenAuth" in schema["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content  # served from our own static files (CSP script-src 'self')
