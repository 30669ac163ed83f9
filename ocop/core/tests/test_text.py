"""ocop.core.text folds by a per-character table: it must equal the step-by-step definition everywhere."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from ocop.core.text import fold, fold_compact, identity_key, normalize_display, unaccent

_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"\w+")
CONSONANTS = set("bcdđghklmnprstvx")


def _reference_final_i(word: str) -> str:
    """A word ending in y right after its initial consonants (or "qu") is written with i."""
    head = word[:-1]
    if word.endswith("y") and head and (head == "qu" or set(head) <= CONSONANTS):
        return head + "i"
    return word


def reference_unaccent(text: str | None) -> str:
    """The definition: NFKD, combining marks dropped, đ→d, casefold, spaces collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").casefold()
    return _SPACES.sub(" ", stripped).strip()


def reference_fold(text: str | None) -> str:
    """unaccent, then the final i/y rule word by word."""
    return _WORDS.sub(lambda found: _reference_final_i(found.group()), reference_unaccent(text))


def reference_fold_compact(text: str | None) -> str:
    return re.sub(r"[^0-9a-z]+", "", reference_fold(text))


def reference_normalize_display(text: str | None) -> str:
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def test_examples():
    assert fold("Miến dong  Đồng Thắng ") == "mien dong dong thang"
    assert unaccent("Mỹ Tho") == "my tho" and fold("Mỹ Tho") == "mi tho"
    assert fold_compact("Xã Bằng-Thành") == "xabangthanh"
    assert normalize_display(" Hoa\u0300  vàng ") == "Hoà vàng"
    assert fold(None) == fold("") == normalize_display(None) == ""


def test_fold_equals_the_definition_on_every_bmp_character():
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        sample = f"a{chr(code)}b {chr(code)}"
        assert fold(sample) == reference_fold(sample), hex(code)
        assert unaccent(sample) == reference_unaccent(sample), hex(code)
        assert normalize_display(sample) == reference_normalize_display(sample), hex(code)


def test_fold_equals_the_definition_on_mixed_strings_in_every_form():
    rng = random.Random(4)
    alphabet = "aăâeêioôơuưyđĐAĂÂÊ bcdhg \u0300\u0301\u0303\u0309\u0323\u0302 \t\u00a0ßΣς-/.,()09ﬁ①Ⅳ"
    words = "Nguyễn Thị Thuỳ Hoà Hòa Mục Chè Chế Trà hoa vàng HTX Đồng Thắng Khẩu mẩy Sỹ Kỳ Quý Hy Tuy Yên".split()  # noqa: SIM905, E501
    for _ in range(5_000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randrange(15))) + " ".join(
            rng.sample(words, 3)
        )
        sample = unicodedata.normalize(rng.choice(["NFC", "NFD", "NFKC", "NFKD"]), sample)
        assert fold(sample) == reference_fold(sample)
        assert fold_compact(sample) == reference_fold_compact(sample)
        assert normalize_display(sample) == reference_normalize_display(sample)


# The final i/y: the same name both ways; another tone, the rhyme "uy" and an initial Y stay apart.
SAME = [
    ("Sỹ Bình", "Sĩ Bình"),
    ("Kỳ Sơn", "Kì Sơn"),
    ("Lý Nhân", "Lí Nhân"),
    ("Mỹ Đức", "Mĩ Đức"),
    ("Quý Lộc", "Quí Lộc"),
    ("Hy Cương", "Hi Cương"),
    ("Thuỷ", "Thủy"),  # only where the tone mark sits
    ("Trà giảo cổ lam Sỹ Bình", "TRÀ GIẢO CỔ LAM SĨ BÌNH"),
]
DIFFERENT = [("Thúy", "Thủy"), ("Tuy", "Tui"), ("Yên", "Iên"), ("Tây", "Tai"), ("Chè", "Chế")]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_final_i_and_y_are_the_same_name(a, b):
    assert identity_key(a) == identity_key(b)
    assert identity_key(unicodedata.normalize("NFD", a)) == identity_key(b)
    assert fold(a) == fold(b) and fold_compact(a) == fold_compact(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_another_tone_the_rhyme_uy_and_an_initial_y_stay_apart(a, b):
    assert identity_key(a) != identity_key(b)


def test_fold_ignores_tones_but_keeps_rhymes_and_initial_y():
    assert fold("Thúy") == fold("Thủy") == "thuy"  # search ignores diacritics
    assert fold("Tuy") != fold("Tui") and fold("Yên") == "yen" and fold("Quy Nhơn") == fold("Qui Nhơn")


def test_identity_key_ignores_form_case_spaces_and_tone_placement_but_not_diacritics():
    import unicodedata

    assert identity_key("Trà  hoa vàng") == identity_key(unicodedata.normalize("NFD", "TRÀ HOA VÀNG"))
    assert identity_key("Hoà Mục") == identity_key("Hòa Mục")
    assert identity_key("Chè") != identity_key("Chế")


def test_identity_key_keeps_a_word_made_only_of_tone_marks():
    assert identity_key("Chè \u0301 xanh") == "che~300 ~301 xanh"
