from __future__ import annotations

import datetime as dt

from ocop.traceability.choices import AlertKind, StampStatus
from ocop.traceability.signals import (
    CLIENT_WINDOW_MINUTES,
    REPEAT_WINDOW_MINUTES,
    ScanPlace,
    StampState,
    advance,
    distance_km,
    evaluate,
    format_clients,
    minute_of,
    repeats,
)

T0 = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
HANOI = (21.03, 105.85)
HCMC = (10.78, 106.70)


def test_a_first_scan_of_an_active_stamp_raises_nothing():
    assert evaluate(StampState(StampStatus.ACTIVE), ScanPlace(T0, *HANOI)) == {}


def test_scan_before_activation():
    assert AlertKind.BEFORE_ACTIVATION in evaluate(StampState(StampStatus.ISSUED), ScanPlace(T0))


def test_too_many_scans_counts_distinct_clients_including_this_one():
    state = StampState(StampStatus.ACTIVE)
    for client in ("aaaa", "bbbb"):
        advance(state, ScanPlace(T0), client=client, max_clients=3)
    assert evaluate(state, ScanPlace(T0), client="cccc", max_clients=3) == {}
    advance(state, ScanPlace(T0), client="cccc", max_clients=3)
    found = evaluate(state, ScanPlace(T0), client="dddd", max_clients=3)
    assert found[AlertKind.TOO_MANY_SCANS] == {"clients": 4, "limit": 3, "scans": 4}


def test_one_clients_repeats_never_make_too_many_scans():
    state = StampState(StampStatus.ACTIVE)
    for _ in range(500):
        assert evaluate(state, ScanPlace(T0), client="aaaa", max_clients=3) == {}
        advance(state, ScanPlace(T0), client="aaaa", max_clients=3)
    assert state.scan_count == 500 and list(state.clients) == ["aaaa"]


def test_clients_older_than_the_window_no_longer_count():
    state = StampState(StampStatus.ACTIVE)
    for client in ("aaaa", "bbbb", "cccc"):
        advance(state, ScanPlace(T0), client=client, max_clients=3)
    later = T0 + dt.timedelta(minutes=CLIENT_WINDOW_MINUTES + 1)
    assert evaluate(state, ScanPlace(later), client="dddd", max_clients=3) == {}


def test_repeats_of_one_client_are_counted_per_window():
    state = StampState(StampStatus.ACTIVE)
    for _ in range(4):
        advance(state, ScanPlace(T0), client="aaaa")
    assert repeats(state, "aaaa", minute_of(T0)) == (4, REPEAT_WINDOW_MINUTES * 60)
    assert repeats(state, "bbbb", minute_of(T0)) == (0, 0)
    assert repeats(state, "aaaa", minute_of(T0) + REPEAT_WINDOW_MINUTES) == (0, 0)


def test_clients_survive_the_stamp_row_text():
    state = StampState(StampStatus.ACTIVE)
    advance(state, ScanPlace(T0, *HANOI), client="aaaa")
    advance(state, ScanPlace(T0), client="bbbb")
    again = StampState.from_row(StampStatus.ACTIVE, 2, T0, *HANOI, "", format_clients(state))
    assert again.clients == state.clients and again.last_client == "aaaa"


def test_hanoi_then_saigon_within_half_an_hour_is_impossible_but_a_day_later_is_fine():
    assert 1100 < distance_km(*HANOI, *HCMC) < 1200
    state = StampState(StampStatus.ACTIVE)
    advance(state, ScanPlace(T0, *HANOI), client="aaaa")
    found = evaluate(state, ScanPlace(T0 + dt.timedelta(minutes=30), *HCMC), client="bbbb")
    assert found[AlertKind.IMPOSSIBLE_TRAVEL]["km"] > 1100
    assert evaluate(state, ScanPlace(T0 + dt.timedelta(hours=24), *HCMC), client="bbbb") == {}


def test_one_client_sending_two_far_places_proves_nothing():
    state = StampState(StampStatus.ACTIVE)
    advance(state, ScanPlace(T0, *HANOI), client="aaaa")
    assert evaluate(state, ScanPlace(T0 + dt.timedelta(minutes=5), *HCMC), client="aaaa") == {}


def test_a_scan_without_a_place_does_not_move_the_last_place():
    state = StampState(StampStatus.ACTIVE)
    advance(state, ScanPlace(T0, *HANOI))
    advance(state, ScanPlace(T0 + dt.timedelta(hours=5)))
    assert state.last_place_at == T0 and state.scan_count == 2
    assert evaluate(state, ScanPlace(T0 + dt.timedelta(hours=5, minutes=1), *HCMC)) == {}


def test_provinces_by_name_only_within_the_window():
    state = StampState(StampStatus.ACTIVE)
    advance(state, ScanPlace(T0, province="Hà Nội"), client="aaaa")
    assert AlertKind.IMPOSSIBLE_TRAVEL in evaluate(
        state, ScanPlace(T0 + dt.timedelta(minutes=5), province="Cà Mau"), client="bbbb"
    )
    assert evaluate(state, ScanPlace(T0 + dt.timedelta(minutes=5), province="hà nội"), client="bbbb") == {}
    assert evaluate(state, ScanPlace(T0 + dt.timedelta(hours=2), province="Cà Mau"), client="bbbb") == {}
