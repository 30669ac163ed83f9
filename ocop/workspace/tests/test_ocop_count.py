""" "Sản phẩm OCOP" on the staff home is the portal's and the statistics' figure, in the user's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ocop.portal.selectors import home_figures
from ocop.portal.tests.conftest import portal  # noqa: F401 — the fixture
from ocop.targets.selectors import unit_stats

pytestmark = pytest.mark.django_db


def _ocop(client, user) -> dict[str, int]:
    client.force_login(user)
    return client.get(reverse("workspace:home")).context["ocop"]


def test_staff_home_counts_ocop_products_as_the_portal_and_the_statistics(client, portal):  # noqa: F811
    day = timezone.localdate()
    stats = unit_stats(portal.world.places.thai_nguyen, day)
    province = _ocop(client, portal.world.users.province)
    assert (
        province
        == {"recognised": stats["recognized_total"], "in_force": stats["in_force_total"]}
        == {
            "recognised": 3,
            "in_force": 3,
        }
    )
    national = _ocop(client, portal.world.users.admin)
    figures = home_figures()
    assert (
        national
        == {"recognised": figures.recognised, "in_force": figures.total}
        == {"recognised": 4, "in_force": 3}
    )
    assert _ocop(client, portal.world.users.outsider) == {
        "recognised": 1,
        "in_force": 0,
    }  # Hà Tĩnh's expired sweet


def test_staff_home_names_each_count(client, portal):  # noqa: F811
    client.force_login(portal.world.users.province)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Sản phẩm OCOP còn hiệu lực" in html and "Sản phẩm trong hệ thống (cả chưa công nhận)" in html
