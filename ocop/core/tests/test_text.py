"""ocop.core.text folds by a per-character table: it must equal the step-by-step definition everywhere."""

from __future__ import annotations

import random
import re
import unicodedata

from ocop.core.text import fold, fold_compact, normalize_display

_SPACES = re.compile(r"\s+")


def reference_fold(text: str | None) -> str:
    """The definition: NFKD, combining marks dropped, đ→d, casefold, spaces collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").casefold()
    return _SPACES.sub(" ", stripped).strip()


def reference_fold_compact(text: str | None) -> str:
    return re.sub(r"[^0-9a-z]+", "", reference_fold(text))


def reference_normalize_display(text: str | None) -> str:
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def test_examples():
    assert fold("Miến dong  Đồng Thắng ") == "mien dong dong thang"
    assert fold_compact("Xã Bằng-Thành") == "xabangthanh"
    assert normalize_display(" Hoa\u0300  vàng ") == "Hoà vàng"
    assert fold(None) == fold("") == normalize_display(None) == ""


def test_fold_equals_the_definition_on_every_bmp_character():
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        sample = f"a{chr(code)}b {chr(code)}"
        assert fold(sample) == reference_fold(sample), hex(code)
        assert normalize_display(sample) == reference_normalize_display(sample), hex(code)


def test_fold_equals_the_definition_on_mixed_strings_in_every_form():
    rng = random.Random(4)
    alphabet = "aăâeêioôơuưyđĐAĂÂÊ bcdhg \u0300\u0301\u0303\u0309\u0323\u0302 \t\u00a0ßΣς-/.,()09ﬁ①Ⅳ"
    words = "Nguyễn Thị Thuỳ Hoà Hòa Mục Chè Chế Trà hoa vàng HTX Đồng Thắng Khẩu mẩy".split()  # noqa: SIM905
    for _ in range(5_000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randrange(15))) + " ".join(
            rng.sample(words, 3)
        )
        sample = unicodedata.normalize(rng.choice(["NFC", "NFD", "NFKC", "NFKD"]), sample)
        assert fold(sample) == reference_fold(sample)
        assert fold_compact(sample) == reference_fold_compact(sample)
        assert normalize_display(sample) == reference_normalize_display(sample)
