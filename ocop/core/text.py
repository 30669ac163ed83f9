"""Vietnamese text folding: the one definition of "ignore case and diacritics" for search and matching."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """Lower-case, accent-free form: NFKD, combining marks dropped, đ→d, casefolded, spaces collapsed.

    "Miến dong Đồng Thắng" → "mien dong dong thang". đ/Đ are letters of their own in Unicode (no
    decomposition), so they are mapped explicitly.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").casefold()
    return _SPACES.sub(" ", stripped).strip()


def fold_compact(text: str | None) -> str:
    """Folded with everything but letters and digits removed: "Xã Bằng-Thành" → "xabangthanh"."""
    return _NON_ALNUM.sub("", fold(text))


def normalize_display(text: str | None) -> str:
    """NFC with collapsed spaces: what we store for names typed by people."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()
