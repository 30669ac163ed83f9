"""Scoring rules: member totals, council average, bands, mandatory marks, spread, knock-outs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ocop.evaluation.criteria import SET_NUMBERS, load_sheet
from ocop.evaluation.scoring import band_stars, council_result, explain, is_spread_blocked, score_member

from .helpers import best_choices, lowered

COMPLETE_SETS = [n for n in SET_NUMBERS if not load_sheet(n).needs_review]


@pytest.fixture
def set1():
    return load_sheet(1)


def at_74(sheet):
    """Set 1 at 74 points with every 3★/4★ mark met except A3.e "Sở hữu trí tuệ" (a 4★ criterion mark).

    From 100: A3.e not scored (−2), B4.b 4→0, B4.c 4→0, B5.a 5→0 (−13), C6.c 3→0, C6.d 3→0, C9.b 3→0,
    C7.a 2→0 (−11) = 100 − 26 = 74. None of those others carries a star mark."""
    choices = lowered(sheet, best_choices(sheet), B4_b=0, B4_c=0, B5_a=0, C6_c=0, C6_d=0, C9_b=0, C7_a=0)
    del choices["A3.e"]
    return choices


@pytest.mark.parametrize("number", COMPLETE_SETS)
def test_all_best_options_score_100_and_five_stars(number):
    sheet = load_sheet(number)
    result = council_result(sheet, [best_choices(sheet)])
    assert result.average == Decimal("100.00")
    assert result.parts == {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)}
    assert (result.band_stars, result.stars, result.held_back_by) == (5, 5, [])
    assert result.is_ocop


def test_flagged_sheet_still_scores_but_cannot_reach_100():
    sheet = load_sheet(11)
    result = council_result(sheet, [best_choices(sheet)])
    assert result.average == Decimal("97.00")
    assert result.stars == 5
    assert "cần rà soát" in explain(sheet, result)


def test_score_member_totals_and_parts(set1):
    score = score_member(set1, {"A1.a": 2, "A1.đ": 3, "B4.a": 4, "C6.b": 5})
    assert score.points["A1.a"] == 3
    assert score.points["A1.đ"] == 3
    assert score.points["A1.b"] == 0  # a missing code scores 0
    assert score.parts == {"A": 6, "B": 5, "C": 5}
    assert score.total == 16


def test_unknown_code_and_bad_option_are_refused_naming_the_code(set1):
    with pytest.raises(ValueError, match=r"'Z1\.a'"):
        score_member(set1, {"Z1.a": 1})
    with pytest.raises(ValueError, match=r"A1\.a: phương án 4 không hợp lệ \(chỉ có phương án 1–3\)"):
        score_member(set1, {"A1.a": 4})
    with pytest.raises(ValueError, match=r"A1\.a"):
        score_member(set1, {"A1.a": 0})
    with pytest.raises(ValueError, match=r"A1\.a"):
        score_member(set1, {"A1.a": "2"})
    with pytest.raises(ValueError, match="Thành viên 2"):
        council_result(set1, [{"A1.a": 1}, {"A1.a": 9}])
    with pytest.raises(ValueError, match="Chưa có phiếu"):
        council_result(set1, [])


@pytest.mark.parametrize(
    ("score", "stars"),
    [
        (100, 5),
        (90, 5),
        ("89.99", 4),
        (70, 4),
        ("69.99", 3),
        (50, 3),
        ("49.99", 2),
        (30, 2),
        ("29.99", 1),
        (0, 1),
    ],
)
def test_bands(score, stars):
    assert band_stars(score) == stars
    assert band_stars(Decimal(str(score))) == stars


def test_band_outside_0_100_is_refused():
    with pytest.raises(ValueError):
        band_stars("100.01")


def test_74_points_with_an_unmet_4_star_criterion_is_3_stars(set1):
    result = council_result(set1, [at_74(set1)])
    assert result.average == Decimal("74.00")
    assert (result.band_stars, result.stars) == (4, 3)
    assert result.held_back_by == ["A3.e"]
    assert result.unmet_by_star[4] == ["A3.e"]
    assert result.unmet_by_star[3] == []
    assert explain(set1, result) == (
        "Đạt 74 điểm nhưng chưa đạt tiêu chí bắt buộc 4 sao: A3.e Sở hữu trí tuệ. Xếp hạng 3 sao."
    )


def test_criterion_level_mark_needs_the_lowest_positive_option_on_average(set1):
    met = at_74(set1) | {"A3.e": 1}  # 1 point more: 75, A3.e at its lowest option
    result = council_result(set1, [met])
    assert (result.average, result.stars, result.held_back_by) == (Decimal("75.00"), 4, [])
    # two members: 1 and 0 points on A3.e → average 0.5 < 1
    half = council_result(set1, [met, at_74(set1) | {"A1.a": 3, "A1.e": 2}])
    assert half.member_totals == [75, 74]
    assert half.criterion_averages["A3.e"] == Decimal("0.50")
    assert (half.band_stars, half.stars, half.held_back_by) == (4, 3, ["A3.e"])


def test_option_mark_compares_the_average_points(set1):
    # B5.b carries *** on "3 points" and **** on "5 points"
    base = at_74(set1) | {"A3.e": 1}
    high, low = lowered(set1, base, B5_b=5), lowered(set1, base, B5_b=1)
    met = council_result(set1, [high, low])  # (5 + 1) / 2 = 3 ≥ 3 but < 5
    assert met.unmet_by_star[3] == []
    assert met.unmet_by_star[4] == ["B5.b"]
    unmet = council_result(set1, [high, lowered(set1, base, B5_b=0)])  # 2.5 < 3
    assert unmet.unmet_by_star[3] == ["B5.b"]


def test_stars_drop_one_at_a_time_and_below_3_is_not_ocop(set1):
    # 3★ mark unmet (C9.a needs 2 points for 3★) on a product in the 4★ band: 4 → 3 → 2
    choices = lowered(set1, at_74(set1), C9_a=1)
    choices = lowered(set1, choices, A1_e=0) | {"A3.e": 1}  # 74 − 1 − 1 + 1 = 73
    result = council_result(set1, [choices])
    assert result.average == Decimal("73.00")
    assert result.band_stars == 4
    assert result.stars == 2
    assert result.held_back_by == ["C9.a"]
    assert not result.is_ocop
    text = explain(set1, result)
    assert "chưa đạt tiêu chí bắt buộc 3 sao: C9.a" in text
    assert "không được công nhận là sản phẩm OCOP" in text


def test_five_star_band_held_back_by_marks_of_four_and_five_stars(set1):
    best = best_choices(set1)
    # A1.c at 2 points keeps its 4★ mark but misses its 5★ mark: 99 points → 4★
    result = council_result(set1, [lowered(set1, best, A1_c=2)])
    assert (result.average, result.band_stars, result.stars, result.held_back_by) == (
        Decimal(99),
        5,
        4,
        ["A1.c"],
    )
    # A1.c at 1 point misses both: 5 → 4 → 3; held_back_by lists what the 5★ band requires
    result = council_result(set1, [lowered(set1, best, A1_c=1, B4_a=3)])
    assert (result.average, result.band_stars, result.stars) == (Decimal(96), 5, 3)
    assert result.held_back_by == ["A1.c", "B4.a"]
    assert result.unmet_by_star == {3: [], 4: ["A1.c"], 5: ["A1.c", "B4.a"]}


def test_below_band_3_no_marks_apply(set1):
    result = council_result(set1, [{"A1.a": 3}])
    assert (result.average, result.band_stars, result.stars, result.held_back_by) == (Decimal(5), 1, 1, [])


def test_average_of_three_members_to_two_decimals(set1):
    best = best_choices(set1)
    members = [best, lowered(set1, best, A1_e=0), lowered(set1, best, A1_e=0)]  # 100, 99, 99
    result = council_result(set1, members)
    assert result.member_totals == [100, 99, 99]
    assert result.average == Decimal("99.33")  # 298 / 3 = 99.333…
    assert result.parts["A"] == Decimal("39.33")
    assert result.parts["B"] == Decimal("25.00")
    members = [best, best, lowered(set1, best, A1_e=0)]  # 299 / 3 = 99.666… → 99.67
    assert council_result(set1, members).average == Decimal("99.67")


def test_average_rounds_half_up(set1):
    best = best_choices(set1)
    # 8 members: 7 × 100 + 99 = 799 → 99.875 → 99.88 (banker's rounding would also give 99.88)
    # 8 members: 5 × 100 + 3 × 99 = 797 → 99.625 → 99.63 (banker's rounding gives 99.62)
    members = [best] * 5 + [lowered(set1, best, A1_e=0)] * 3
    assert council_result(set1, members).average == Decimal("99.63")


def test_spread_of_ten_points_blocks_the_result(set1):
    best = best_choices(set1)
    ten_less = lowered(set1, best, B5_a=0, A1_a=1, A1_e=0)  # −5 −4 −1 = 90
    nine_less = lowered(set1, best, B5_a=0, A1_a=1)  # 91
    assert council_result(set1, [best, ten_less]).spread_blocked
    assert council_result(set1, [best, nine_less, best]).spread_blocked is False
    assert "chấm lại hoặc giải trình" in explain(set1, council_result(set1, [best, ten_less]))


def test_spread_boundary_with_decimals():
    assert is_spread_blocked([80, 90])
    assert is_spread_blocked([Decimal("80.00"), Decimal("90.00"), Decimal("85")])
    assert not is_spread_blocked([Decimal("80.01"), Decimal("90")])
    assert not is_spread_blocked([Decimal("0"), Decimal("9.99")])
    assert not is_spread_blocked([75])
    assert not is_spread_blocked([])


def test_set_26_alternative_cases():
    sheet = load_sheet(26)
    case1, case2 = best_choices(sheet, case=1), best_choices(sheet, case=2)
    assert "C8.a" in case1 and "C8.b" not in case1
    assert score_member(sheet, case1).total == 100
    assert score_member(sheet, case2).total == 100
    assert score_member(sheet, case2).parts == {"A": 40, "B": 25, "C": 35}
    with pytest.raises(ValueError, match=r"C8: chỉ chấm một trong hai trường hợp \(C8.a hoặc C8.b\)"):
        score_member(sheet, case1 | {"C8.b": 1})
    # members may score different cases; the council averages the group's points
    mixed = council_result(sheet, [case1, lowered(sheet, case2, C8_b=1)])
    assert mixed.member_totals == [100, 98]
    assert mixed.average == Decimal("99.00")


def test_knockout_stops_the_evaluation(set1):
    best = best_choices(set1)
    result = council_result(set1, [best], knocked_out=["C10.a"])
    assert (result.band_stars, result.stars) == (5, 0)
    assert [k.code for k in result.knockouts] == ["C10.a"]
    assert not result.is_ocop
    assert explain(set1, result).startswith("Dừng đánh giá do điểm liệt: C10.a")
    with pytest.raises(ValueError, match=r"A1\.b"):
        council_result(set1, [best], knocked_out=["A1.b"])


def test_explain_plain_result(set1):
    result = council_result(set1, [best_choices(set1), lowered(set1, best_choices(set1), A1_e=0)])
    assert explain(set1, result) == "Đạt 99,5 điểm, xếp hạng 5 sao."
