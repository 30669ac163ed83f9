from __future__ import annotations

import datetime as dt

from ocop.traceability.choices import AlertKind, StampStatus
from ocop.traceability.signals import ScanPlace, StampState, advance, distance_km, evaluate

T0 = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
HANOI = (21.03, 105.85)
HCMC = (10.78, 106.70)


def test_a_first_scan_of_an_active_stamp_raises_nothing():
    assert evaluate(StampState(StampStatus.ACTIVE), ScanPlace(T0, *HANOI)) == {}


def test_scan_before_activation():
    assert AlertKind.BEFORE_ACTIVATION in evaluate(StampState(StampStatus.ISSUED), ScanPlace(T0))


def test_too_many_scans_counts_this_one():
    state = StampState(StampStatus.ACTIVE, scan_count=2)
    assert evaluate(state, ScanPlace(T0), max_scans=3) == {}
    state.scan_count = 3
    assert evaluate(state, ScanPlace(T0), max_scans=3)[AlertKind.TOO_MANY_SCANS] == {"scans": 4, "limit": 3}


def test_hanoi_then_saigon_within_half_an_hour_is_impossible_but_a_day_later_is_fine():
    assert 1100 < distance_km(*HANOI, *HCMC) < 1200
    state = StampState(StampStatus.ACTIVE)
    advance(state, ScanPlace(T0, *HANOI))
    found = evaluate(state, ScanPlace(T0 + dt.timedelta(minutes=30), *HCMC))
    assert found[AlertKind.IMPOSSIBLE_TRAVEL]["km"] > 1100
    assert evaluate(state, ScanPlace(T0 + dt.timedelta(hours=24), *HCMC)) == {}


def test_a_scan_without_a_place_does_not_move_the_last_place():
    state = StampState(StampStatus.ACTIVE)
    advance(state, ScanPlace(T0, *HANOI))
    advance(state, ScanPlace(T0 + dt.timedelta(hours=5)))
    assert state.last_place_at == T0 and state.scan_count == 2
    assert evaluate(state, ScanPlace(T0 + dt.timedelta(hours=5, minutes=1), *HCMC)) == {}


def test_provinces_by_name_only_within_the_window():
    state = StampState(StampStatus.ACTIVE)
    advance(state, ScanPlace(T0, province="Hà Nội"))
    assert AlertKind.IMPOSSIBLE_TRAVEL in evaluate(
        state, ScanPlace(T0 + dt.timedelta(minutes=5), province="Cà Mau")
    )
    assert evaluate(state, ScanPlace(T0 + dt.timedelta(minutes=5), province="hà nội")) == {}
    assert evaluate(state, ScanPlace(T0 + dt.timedelta(hours=2), province="Cà Mau")) == {}
