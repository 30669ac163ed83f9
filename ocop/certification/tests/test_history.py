import datetime as dt

import pytest

from ocop.certification.choices import EventKind
from ocop.certification.history import Line, check_line, infer_kind, score_in_band, state_on
from ocop.certification.validity import valid_until

D = dt.date


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2022, 3, 15), D(2025, 3, 14)),
        (D(2021, 1, 1), D(2023, 12, 31)),
        (D(2024, 2, 29), D(2027, 2, 28)),
        (D(2023, 5, 31), D(2026, 5, 30)),
    ],
)
def test_validity_is_36_months_minus_a_day(start, end):
    assert valid_until(start) == end


def test_state_follows_latest_line():
    lines = [
        Line(EventKind.NEW, 3, D(2020, 6, 1)),
        Line(EventKind.UPGRADE, 4, D(2022, 6, 1)),
        Line(EventKind.REVOCATION, None, D(2024, 1, 10)),
    ]
    assert not state_on(lines, D(2020, 5, 31)).recognised
    assert state_on(lines, D(2021, 1, 1)).stars == 3
    s = state_on(lines, D(2023, 1, 1))
    assert s.stars == 4 and s.certificate_end == D(2025, 5, 31) and s.in_force(D(2023, 1, 1))
    assert state_on(lines, D(2024, 1, 10)).revoked


def test_expiry_boundaries():
    lines = [Line(EventKind.NEW, 3, D(2020, 6, 1))]
    state = state_on(lines, D(2023, 5, 31))
    assert state.in_force(D(2023, 5, 31))
    assert not state_on(lines, D(2023, 6, 1)).in_force(D(2023, 6, 1))
    assert state_on(lines, D(2023, 6, 1)).recognised  # expired, not renewed, still on record


def test_infer_kind():
    lines = [Line(EventKind.NEW, 3, D(2020, 6, 1))]
    assert infer_kind([], 3, D(2020, 1, 1)) == EventKind.NEW
    assert infer_kind(lines, 4, D(2021, 1, 1)) == EventKind.UPGRADE
    assert infer_kind(lines, 3, D(2023, 5, 20)) == EventKind.RENEWAL
    assert infer_kind(lines, 3, D(2023, 8, 1)) == EventKind.RENEWAL  # after expiry
    revoked = [*lines, Line(EventKind.REVOCATION, None, D(2021, 1, 1))]
    assert infer_kind(revoked, 3, D(2022, 1, 1)) == EventKind.NEW


def test_check_line():
    lines = [Line(EventKind.NEW, 4, D(2020, 6, 1))]
    assert "cao hơn" in check_line(lines, Line(EventKind.UPGRADE, 4, D(2021, 1, 1)))
    assert check_line(lines, Line(EventKind.UPGRADE, 5, D(2021, 1, 1))) is None
    assert "chưa từng" in check_line([], Line(EventKind.UPGRADE, 4, D(2021, 1, 1)))
    assert "không đang" in check_line([], Line(EventKind.REVOCATION, None, D(2021, 1, 1)))
    assert check_line(lines, Line(EventKind.REVOCATION, None, D(2021, 1, 1))) is None


def test_score_bands():
    assert score_in_band(90, 5) and score_in_band(100, 5) and not score_in_band(89.99, 5)
    assert score_in_band(70, 4) and not score_in_band(90, 4)
    assert score_in_band(50, 3) and not score_in_band(49.5, 3)
