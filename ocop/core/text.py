"""Vietnamese text folding: the one definition of "ignore case and diacritics" for search and matching.

``fold`` is NFKD, combining marks dropped, đ→d, casefolded, spaces collapsed: "Miến dong Đồng Thắng" →
"mien dong dong thang" (đ/Đ are letters of their own in Unicode, with no decomposition, so they are mapped
explicitly). Every step of it works character by character — the canonical reordering of NFKD only moves
combining marks, which are dropped — so it is computed as one ``str.translate`` through a table of each
character's folded form, filled on first use, then spaces collapsed with split/join (the same whitespace
as ``\\s``). ``ocop/core/tests/test_text.py`` compares it with the step-by-step definition on every
character of the Basic Multilingual Plane and on mixed strings in every Unicode form. Imports fold
hundreds of thousands of cells and search folds every query: the translate is several times faster.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


class _FoldTable(dict[int, str]):
    """Code point → its folded form (without the space handling), computed on first use."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        folded = self[code] = kept.replace("đ", "d").replace("Đ", "D").casefold()
        return folded


_FOLD_TABLE = _FoldTable()
# The same mappings in a plain dict for Latin letters, Vietnamese letters and combining marks: str.translate
# is ~3x faster with an exact dict. A character it lacks stays as it is, and stays non-ASCII in the result,
# so an ASCII result is exactly the full table's; anything else goes through the full table.
_LATIN_FOLD = {
    code: _FOLD_TABLE[code]
    for start, end in ((0x0000, 0x0250), (0x0300, 0x0370), (0x1E00, 0x1F00))
    for code in range(start, end)
}


def fold(text: str | None) -> str:
    """Lower-case, accent-free form: "Miến dong Đồng Thắng" → "mien dong dong thang"."""
    if not text:
        return ""
    text = str(text)
    folded = text.translate(_LATIN_FOLD)
    if not folded.isascii():
        folded = text.translate(_FOLD_TABLE)
    return " ".join(folded.split())  # split() and \s agree on what a space is (Py_UNICODE_ISSPACE)


def fold_compact(text: str | None) -> str:
    """Folded with everything but letters and digits removed: "Xã Bằng-Thành" → "xabangthanh"."""
    return _NON_ALNUM.sub("", fold(text))


def normalize_display(text: str | None) -> str:
    """NFC with collapsed spaces: what we store for names typed by people."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def is_ascii_digits(text: str) -> bool:
    """Only 0–9. ``str.isdigit`` also says yes to "²", "١" or "５", which ``int()`` refuses or reads as a
    number nobody typed: every user-typed id or number is checked with this (issue 18)."""
    return bool(text) and text.isascii() and text.isdigit()
