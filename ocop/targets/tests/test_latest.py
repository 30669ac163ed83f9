"""The one-day path (``LatestLines``: latest lines picked by the database) gives exactly the figures of the
whole-history path (``UnitHistory``) — on every day around every decision, for each kind of unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from ocop.certification.services.events import event_record
from ocop.targets.choices import Metric
from ocop.targets.latest import LatestLines
from ocop.targets.selectors import history_load, unit_stats
from ocop.targets.services import target_set

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="LatestLines serves SQLite; PostgreSQL uses the whole history"
    ),
]


def days_around_every_decision(history) -> list[dt.date]:
    days = {dt.date(2018, 12, 31), dt.date(2026, 12, 31)}
    for product in vars(history.products).values():
        for event in product.events.all():
            for shift in (-1, 0, 1, 1095, 1096):
                days.add(event.decision_date + dt.timedelta(days=shift))
    return sorted(days)


def test_same_figures_as_the_whole_history_on_every_day(history):
    places, p = history.world.places, history.products
    # Two decisions for one product on one day: the later record decides, on both paths.
    event_record(
        product=p.p2, kind="upgraded", stars=5, decision_date=dt.date(2024, 1, 8), decision_number="A"
    )
    event_record(
        product=p.p2, kind="revoked", stars=None, decision_date=dt.date(2024, 1, 8), decision_number="B"
    )
    for metric in (Metric.NEW_IN_PERIOD, Metric.UPGRADED_IN_PERIOD, Metric.RECOGNIZED_TOTAL):
        target_set(
            user=history.world.users.admin,
            province=places.thai_nguyen,
            metric=metric,
            value=7,
            start=dt.date(2020, 1, 1),
            deadline=dt.date(2025, 12, 31),
        )
    units = [places.bac_kan, places.thai_nguyen, places.ba_be, history.cho_ra_2025]
    days = days_around_every_decision(history)
    for unit in units:
        whole = history_load(unit)
        for day in days:
            expected = unit_stats(unit, day, history=whole)
            assert unit_stats(unit, day) == expected, (unit.name, day)
            assert LatestLines(unit).breakdown(day) == whole.breakdown(day), (unit.name, day)
    revoked_same_day = unit_stats(places.bac_kan, dt.date(2024, 1, 8))
    assert revoked_same_day["revoked_total"] == 2  # P3, and P2 revoked after its same-day upgrade
    assert unit_stats(places.thai_nguyen, dt.date(2026, 1, 1))["targets"][0]["actual"] > 0
