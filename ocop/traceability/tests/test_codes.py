from __future__ import annotations

import itertools

from ocop.traceability import codes


def test_codes_are_21_crockford_characters_with_a_valid_check_and_unique():
    batch = codes.new_codes(5000)
    assert len(set(batch)) == 5000
    for code in batch[:200]:
        assert len(code) == 21
        assert set(code) <= set(codes.ALPHABET)
        assert codes.is_valid(code)


def test_every_single_character_change_is_caught():
    code = codes.new_codes(1)[0]
    for i, replacement in itertools.product(range(21), codes.ALPHABET):
        if replacement != code[i]:
            assert not codes.is_valid(code[:i] + replacement + code[i + 1 :])


def test_neighbour_swaps_are_caught_except_0_and_z():
    missed = set()
    for a, b in itertools.permutations(codes.ALPHABET, 2):
        for start in (9, 10):  # the pair on a doubled and on an undoubled position
            body = "0" * start + a + b + "0" * (18 - start)
            swapped = "0" * start + b + a + "0" * (18 - start)
            if codes.check_char(body) == codes.check_char(swapped):
                missed.add(a + b)
    assert missed == {"0Z", "Z0"}  # the one blind spot of Luhn mod N


def test_typing_is_forgiving_like_crockford():
    code = codes.new_codes(1)[0]
    typed = codes.pretty(code).lower().replace("1", "l").replace("0", "o")
    assert codes.normalise(typed) == code


def test_digital_link_carries_the_20_random_characters_and_pads_the_gtin():
    code = codes.new_codes(1)[0]
    assert codes.stamp_path(code) == f"/s/{code}"
    path = codes.stamp_path(code, gtin="8938505974194", lot="L1")
    assert path == f"/01/08938505974194/10/L1/21/{code[:20]}"
    assert codes.from_serial20(code[:20]) == code
    assert codes.from_serial20("short") is None


def test_lot_numbers_are_url_safe():
    assert codes.lot_is_valid("L2026-01_a.b")
    assert not codes.lot_is_valid("lô 1")
    assert not codes.lot_is_valid("x" * 21)
    assert not codes.lot_is_valid("a/b")
