from __future__ import annotations

import pytest

from .factories import evaluation_in_council, score_all
from .helpers import best_choices

pytestmark = pytest.mark.django_db


def test_evaluations_api_is_scoped(client, world):
    ev = evaluation_in_council(world)
    best = best_choices(ev.evaluation.dossier.criteria_version.sheet)
    score_all(ev.evaluation, ev.members, [best] * 3)
    assert client.get("/api/v1/evaluations").status_code == 401
    client.force_login(world.users.province)
    data = client.get("/api/v1/evaluations").json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["product"] == "Miến dong Nam Mẫu" and item["status"] == "complete"
    assert set(item["parts"]) == {"A", "B", "C"} and item["criteria_version"] == "148/2023#1"
    assert client.get(f"/api/v1/evaluations/{ev.evaluation.pk}").json()["id"] == ev.evaluation.pk
    client.force_login(world.users.council)
    assert client.get("/api/v1/evaluations").json()["count"] == 1
    for user in (world.users.outsider,):
        client.force_login(user)
        assert client.get("/api/v1/evaluations").json()["count"] == 0
        assert client.get(f"/api/v1/evaluations/{ev.evaluation.pk}").status_code == 404


def test_openapi_lists_the_evaluation_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/evaluations" in paths and "/api/v1/evaluations/{evaluation_id}" in paths
