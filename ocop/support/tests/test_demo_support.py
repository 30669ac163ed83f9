"""`ocop demo_data` also loads illustrative support records (idempotent) so the KPI page shows figures."""

from __future__ import annotations

import datetime as dt

import pytest

from ocop.demo.province import load_demo_producers, load_demo_support
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.support.models import PriorityGroup
from ocop.support.selectors import support_kpis

pytestmark = pytest.mark.django_db


def test_demo_support_records(places):
    load_demo_producers()
    assert load_demo_support() == 0  # already there
    thai_nguyen = AdminUnit.objects.get(level=Level.PROVINCE, generation=Generation.REFORM_2025, code="19")
    kpis = support_kpis(thai_nguyen, dt.date.today())
    assert kpis["trainees"] == {"officers": 295, "coop_members": 210, "founders": 1200, "total": 1705}
    assert kpis["consulting_rounds"] == 11
    assert kpis["geographical_indications"] == 4 and kpis["collective_trademarks"] == 5
    assert kpis["products_with_certified_area"] == 13 and kpis["products_exported"] == 2
    assert kpis["points_of_sale"] == 18 and kpis["products_on_ecommerce"] > 0
    assert kpis["revenue_growth"]["eligible"] > kpis["revenue_growth"]["grown"] > 0
    assert PriorityGroup.objects.filter(province=thai_nguyen).count() == 5
