"""Vietnamese text folding: the one definition of "ignore case and diacritics" for search and matching, and of
"the same name" for identity.

``fold`` is NFKD, combining marks dropped, đ→d, casefolded, spaces collapsed, and the final i/y spellings
merged: "Miến dong Đồng Thắng" → "mien dong dong thang", "Sỹ Bình" → "si binh". Every step before the i/y
rule works character by character — the canonical reordering of NFKD only moves combining marks, which are
dropped — so it is computed as one ``str.translate`` through a table of each character's folded form,
filled on first use, then spaces collapsed with split/join (the same whitespace as ``\\s``).
``ocop/core/tests/test_text.py`` compares it with the step-by-step definition on every character of the
Basic Multilingual Plane and on mixed strings in every Unicode form. Imports fold hundreds of thousands of
cells and search folds every query: the translate is several times faster.

The final i/y rule (``final_y_as_i``): Vietnamese writes a syllable that ends in "y" right after its initial
consonant(s) with "i" just as well — Sỹ/Sĩ, Kỳ/Kì, Lý/Lí, Mỹ/Mĩ, Quý/Quí, Hy/Hi — so such a "y" counts as "i".
After a vowel the "y" belongs to another rhyme ("uy" ≠ "ui": Tuy ≠ Tui; Tây ≠ Tai), and a word that starts
with "y" (Yên) keeps it. Every key built from ``fold`` (names, search keys, unit keys, header and decision
keys) and ``identity_key`` use it; ``unaccent`` (slugs, where "my-tho" reads better than "mi-tho") does not.

``identity_key`` is the stricter key of "the same name" (products, entities): case, spaces, Unicode form,
tone-mark placement (Hoà = Hòa, Thuỷ = Thủy) and the final i/y ignored, diacritics kept (Chè ≠ Chế,
Thúy ≠ Thủy).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# A "y" ending a word right after the word's initial consonant(s) ("qu" counts as one): Sỹ, Kỳ, Quý, Hy.
_FINAL_Y = re.compile(r"\b(qu|[bcdđghklmnprstvx]+)y\b")


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


def final_y_as_i(text: str) -> str:
    """The final i/y rule on lower-case text: "sy binh" → "si binh", "quy" → "qui"; "tuy", "yen" unchanged."""
    return _FINAL_Y.sub(r"\1i", text) if "y" in text else text


def unaccent(text: str | None) -> str:
    """Lower-case, accent-free form without the i/y rule: "Mỹ Tho" → "my tho" (for slugs)."""
    if not text:
        return ""
    text = str(text)
    folded = text.translate(_LATIN_FOLD)
    if not folded.isascii():
        folded = text.translate(_FOLD_TABLE)
    return " ".join(folded.split())  # split() and \s agree on what a space is (Py_UNICODE_ISSPACE)


@lru_cache(maxsize=131_072)  # names, places and words repeat across a list's rows and a search's keys
def fold(text: str | None) -> str:
    """The matching key: "Miến dong Đồng Thắng" → "mien dong dong thang", "Sỹ Bình" → "si binh"."""
    return final_y_as_i(unaccent(text))


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


# Tone marks (NFD combining characters); vowel-quality marks (â, ă, ê, ô, ơ, ư) are not tones and stay.
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_TONES = re.compile(f"[{TONE_MARKS}]")
_NO_TONES = {ord(mark): None for mark in TONE_MARKS}


@lru_cache(maxsize=65_536)
def identity_key(name: str) -> str:
    """Names equal up to case, spaces, Unicode form, tone-mark placement ("Hoà" = "Hòa") and the final i/y
    ("Sỹ" = "Sĩ"), but not up to diacritics themselves ("Chè" ≠ "Chế", "Thúy" ≠ "Thủy"): each word without
    its tone mark (i/y rule applied), then the word's last tone mark. Word by word (words repeat across
    names far more than names do)."""
    return " ".join(map(_word_key, unicodedata.normalize("NFC", name or "").casefold().split()))


@lru_cache(maxsize=65_536)
def _word_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = _TONES.findall(decomposed)
    kept = final_y_as_i(unicodedata.normalize("NFC", decomposed.translate(_NO_TONES)))
    return f"{kept}~{ord(tones[-1]):x}" if tones else kept  # the last tone mark of a word counts
