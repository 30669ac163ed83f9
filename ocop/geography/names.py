"""How officers write administrative unit names, and the keys that match them (SPEC §2, §5.3). Pure text:
no database.

Officers write "X.Bằng Thành", "TT. Chợ Rã", "H. Ba Bể", "TP Bắc Kạn", "Sĩ Bình" for "Xã Sỹ Bình",
"phường 01" for "Phường 1", in NFC or NFD, any case. Two keys make this work:

* ``match_key`` (stored on AdminUnit): the name without its type word, folded (no case, no diacritics),
  only letters and digits, i/y spelling variants merged (``ocop.core.text.final_y_as_i``) and leading zeros
  of numbers dropped. It is deliberately loose so every way of writing a name finds the unit.
* ``accent_key``: the same, but keeping diacritics with the tone mark moved to the end of each syllable, so
  "Hoà"/"Hòa" agree while "Cẩm Giang"/"Cẩm Giàng" (two real communes of Hải Phòng) stay apart. It only
  narrows candidates the loose key could not tell apart.

``readings`` tells the type word typed ("Xã", "X.", "xa") from the bare name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ocop.core.text import final_y_as_i, fold, is_ascii_digits

from .choices import Level

if TYPE_CHECKING:
    from .models import AdminUnit

# Tone marks (NFD combining characters) → digit. Vowel-quality marks (â, ă, ơ, ư) are not tones and stay.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "3", "\u0309": "4", "\u0323": "5"}
_WORD = re.compile(r"[^\W_]+")

# Canonical type words per level, and the ways officers write them.
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    Level.PROVINCE: ("Thành phố", "Tỉnh"),
    Level.DISTRICT: ("Thành phố", "Thị xã", "Huyện", "Quận"),
    Level.COMMUNE: ("Thị trấn", "Đặc khu", "Phường", "Xã"),
}
ALL_TYPE_WORDS: tuple[str, ...] = (
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)
# Abbreviation (folded) → type word. Single letters only count when followed by a dot (or, for "P"/"Q",
# by a number: "P1", "Q.7"), so names beginning with those letters are not cut.
_ABBREVIATIONS = {
    "x": "Xã",
    "p": "Phường",
    "tt": "Thị trấn",
    "h": "Huyện",
    "q": "Quận",
    "tx": "Thị xã",
    "tp": "Thành phố",
    "t": "Tỉnh",
    "dk": "Đặc khu",
}
_ABBR_DOT = re.compile(r"^(tt|tx|tp|dk|x|p|h|q|t)\s*\.\s*(\S.*)$", re.IGNORECASE)
_ABBR_SPACE = re.compile(r"^(tt|tx|tp)\s+(\S.*)$", re.IGNORECASE)
_ABBR_NUMBER = re.compile(r"^(p|q)\s*(\d+)$", re.IGNORECASE)

# Province nicknames officers use in lists (keys are match keys).
PROVINCE_ALIASES = {
    "hn": "hanoi",
    "hcm": "hochiminh",
    "tphcm": "hochiminh",
    "saigon": "hochiminh",
    "brvt": "bariavungtau",
    "tthue": "thuathienhue",
}


def _syllables(text: str) -> list[tuple[str, str]]:
    """Split into (syllable without tone, tone digit) pairs, lower-case, i/y and numbers normalised."""
    # Words are found in NFC (combining marks are not word characters), then taken apart letter by letter.
    composed = unicodedata.normalize("NFC", str(text or "")).lower()
    result: list[tuple[str, str]] = []
    for word in _WORD.findall(composed):
        tone = ""
        kept = []
        for ch in unicodedata.normalize("NFD", word):
            if ch in _TONES:
                tone = _TONES[ch]
            else:
                kept.append(ch)
        base = unicodedata.normalize("NFC", "".join(kept))
        # "01" and "1" are the same ward number.
        base = str(int(base)) if is_ascii_digits(base) else final_y_as_i(base)
        result.append((base, tone))
    return result


@lru_cache(maxsize=65_536)
def match_key(name: str) -> str:
    """Loose key of a bare name (no type word): "Sỹ Bình" and "si binh" → "sibinh"; "01" → "1"."""
    return "".join(fold(base).replace(" ", "") for base, _tone in _syllables(name))


@lru_cache(maxsize=65_536)
def accent_key(name: str) -> str:
    """Diacritic-sensitive key, independent of tone placement: "Hoà" == "Hòa", "Giang" != "Giàng"."""
    return " ".join(base + tone for base, tone in _syllables(name))


def has_diacritics(text: str) -> bool:
    return fold(text) != " ".join(str(text).lower().split())


def split_type(name: str, types: Iterable[str] = ALL_TYPE_WORDS) -> tuple[str, str]:
    """("Xã", "Bằng Thành") from an official full name; ("", name) when it starts with no type word."""
    lowered = name.casefold()
    for type_name in types:
        if lowered.startswith(type_name.casefold() + " "):
            return type_name, name[len(type_name) + 1 :].strip()
    return "", name


def bare_name(unit: AdminUnit) -> str:
    """The unit's name without its type word ("Bằng Thành", "1" for "Phường 1")."""
    if unit.type_name and unit.name.startswith(unit.type_name + " "):
        return unit.name[len(unit.type_name) + 1 :]
    return unit.short_name or unit.name


def unit_match_key(unit: AdminUnit) -> str:
    return match_key(bare_name(unit))


@dataclass(frozen=True)
class Reading:
    """One way to read typed text: an optional type word and the bare name."""

    type_name: str | None
    name: str


@lru_cache(maxsize=4_096)  # type words: a handful, typed the same way thousands of times
def _word_matches(typed: str, official: str) -> bool:
    """A typed word stands for an official one if equal when folded and either typed without diacritics
    or with the same ones — so "xa" and "xã" mean Xã, but "Xà" (as in Xã Xà Phìn) does not."""
    if fold(typed) != fold(official):
        return False
    return not has_diacritics(typed) or accent_key(typed) == accent_key(official)


def _full_type_reading(text: str, allowed: tuple[str, ...]) -> Reading | None:
    words = text.split(" ")
    for type_name in sorted(allowed, key=lambda t: -len(t.split(" "))):
        type_words = type_name.split(" ")
        n = len(type_words)
        if len(words) > n and all(_word_matches(w, t) for w, t in zip(words[:n], type_words, strict=False)):
            return Reading(type_name, " ".join(words[n:]))
    return None


def _abbreviated_reading(text: str, allowed: tuple[str, ...]) -> Reading | None:
    for pattern in (_ABBR_DOT, _ABBR_SPACE, _ABBR_NUMBER):
        found = pattern.match(text)
        if found:
            type_name = _ABBREVIATIONS[fold(found.group(1))]
            if type_name in allowed:
                return Reading(type_name, found.group(2).strip())
    return None


def readings(text: str, level: str) -> list[Reading]:
    """Possible readings, most specific first; the literal text is always the last resort (a commune may
    really be called "Xà Phìn", which looks like "Xã Phìn" once accents are dropped)."""
    cleaned = " ".join(unicodedata.normalize("NFC", str(text or "")).split())
    allowed = TYPE_WORDS[level]
    typed = _full_type_reading(cleaned, allowed) or _abbreviated_reading(cleaned, allowed)
    literal = Reading(None, cleaned)
    return [typed, literal] if typed else [literal]
