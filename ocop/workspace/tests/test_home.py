"""The staff home: figures of the signed-in user's own scope, and the menu of their role."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _figures(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    return {key: response.context[key] for key in ("entity_count", "product_count")}


def test_home_counts_only_what_the_user_reaches(client, world):
    assert _figures(client, world.users.admin) == {"entity_count": 3, "product_count": 3}
    assert _figures(client, world.users.province) == {"entity_count": 2, "product_count": 2}
    assert _figures(client, world.users.producer) == {"entity_count": 1, "product_count": 1}


def test_outsider_sees_none_of_another_province(client, world):
    assert _figures(client, world.users.outsider) == {"entity_count": 1, "product_count": 1}


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_menu_follows_the_role(client, world):
    client.force_login(world.users.council)
    keys = {key for _label, _url, key in client.get(reverse("workspace:home")).context["nav_items"]}
    assert "evaluation" in keys and "entities" not in keys and "users" not in keys
    client.force_login(world.users.admin)
    keys = {key for _label, _url, key in client.get(reverse("workspace:home")).context["nav_items"]}
    assert {"entities", "audit", "users", "stats"} <= keys
