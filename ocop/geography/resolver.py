"""Resolve administrative unit names as officers type them (SPEC §2, §5.3).

Officers write "X.Bằng Thành", "TT. Chợ Rã", "H. Ba Bể", "TP Bắc Kạn", "Sĩ Bình" for "Xã Sỹ Bình",
"phường 01" for "Phường 1", in NFC or NFD, any case. Two keys make this work:

* ``match_key`` (stored on AdminUnit): the name without its type word, folded (no case, no diacritics),
  only letters and digits, i/y spelling variants merged (``ocop.core.text.final_y_as_i``) and leading zeros
  of numbers dropped. It is
  deliberately loose so every way of writing a name finds the unit.
* ``accent_key`` (computed here): the same, but keeping diacritics with the tone mark moved to the end of
  each syllable, so "Hoà"/"Hòa" agree while "Cẩm Giang"/"Cẩm Giàng" (two real communes of Hải Phòng)
  stay apart. It only narrows candidates the loose key could not tell apart.

``UnitResolver`` keeps per-province indexes in memory so an import of 20,000 rows does one query per
province touched, not one per row.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ocop.core.text import final_y_as_i, fold, is_ascii_digits
from ocop.legal.periods import REFORM_DATE as REFORM_DATE  # the date is defined once, in the periods table

from .models import AdminUnit, Generation, Level

MAX_SUGGESTIONS = 5
MAX_LISTED = 10  # candidates named in an ambiguity message; .candidates has them all

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
_PROVINCE_ALIASES = {
    "hn": "hanoi",
    "hcm": "hochiminh",
    "tphcm": "hochiminh",
    "saigon": "hochiminh",
    "brvt": "bariavungtau",
    "tthue": "thuathienhue",
}

_LEVEL_NOUN: dict[str, str] = {Level.PROVINCE: "tỉnh", Level.DISTRICT: "huyện", Level.COMMUNE: "xã"}


# ---------------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------------


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


def _other(generation: str | None) -> str:
    return Generation.LEGACY if generation == Generation.REFORM_2025 else Generation.REFORM_2025


def generation_note(found: list[AdminUnit], *, wanted: str | None) -> str:
    """Why units of the other generation do not do ("" when there are none): the row's date asks for
    ``wanted`` (SPEC §5.3: rows before 01/07/2025 name old units, later rows new ones)."""
    if not found or not wanted:
        return ""
    labels = (unit.name if unit.level == Level.PROVINCE else unit_label(unit) for unit in found[:MAX_LISTED])
    names = "; ".join(dict.fromkeys(labels))
    day = f"{REFORM_DATE:%d/%m/%Y}"
    if wanted == Generation.LEGACY:
        return (
            f"Dòng có ngày quyết định trước {day} phải ghi đơn vị hành chính trước sắp xếp "
            f"(63 tỉnh, có cấp huyện); {names} là đơn vị từ {day}."
        )
    return (
        f"Dòng có ngày quyết định từ {day} phải ghi đơn vị hành chính sau sắp xếp "
        f"(34 tỉnh, không có cấp huyện); {names} là đơn vị trước {day}."
    )


def generation_for_date(on_date: date | None) -> str | None:
    if on_date is None:
        return None
    return Generation.LEGACY if on_date < REFORM_DATE else Generation.REFORM_2025


# ---------------------------------------------------------------------------------------------------
# Parsing what was typed
# ---------------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------------


def unit_label(unit: AdminUnit) -> str:
    """ "Xã Tân Lập (Huyện Chợ Đồn, Tỉnh Bắc Kạn)" — the name with what it belongs to."""
    context = []
    parent = unit.parent if unit.parent_id else None
    if parent is not None and parent.level == Level.DISTRICT:
        context.append(parent.name)
    if unit.level != Level.PROVINCE:
        province = unit.province if unit.province_id else parent
        if province is not None:
            context.append(province.name)
    if unit.level == Level.PROVINCE:
        context.append("trước 01/07/2025" if unit.is_legacy else "từ 01/07/2025")
    return f"{unit.name} ({', '.join(context)})" if context else unit.name


class UnitLookupError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnitNotFound(UnitLookupError):
    def __init__(self, message: str, suggestions: list[AdminUnit] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class UnitAmbiguous(UnitLookupError):
    def __init__(self, text: str, candidates: list[AdminUnit]) -> None:
        self.candidates = candidates
        listed = "; ".join(unit_label(c) for c in candidates[:MAX_LISTED])
        if len(candidates) > MAX_LISTED:
            listed += f"; … và {len(candidates) - MAX_LISTED} đơn vị khác"
        super().__init__(
            f"Có nhiều đơn vị tên “{text}”: {listed}. Hãy ghi rõ loại đơn vị hoặc đơn vị cấp trên."
        )


# ---------------------------------------------------------------------------------------------------
# Indexes
# ---------------------------------------------------------------------------------------------------


class _Index:
    """Units of one scope grouped by match key."""

    def __init__(self, units: Iterable[AdminUnit] = ()) -> None:
        self.by_key: dict[str, list[AdminUnit]] = defaultdict(list)
        for unit in units:
            self.add(unit)

    def add(self, unit: AdminUnit) -> None:
        self.by_key[unit.match_key or unit_match_key(unit)].append(unit)

    @classmethod
    def union(cls, indexes: Iterable[_Index]) -> _Index:
        result = cls()
        for source in indexes:
            for key, units in source.by_key.items():
                result.by_key[key].extend(units)
        return result

    def __bool__(self) -> bool:
        return bool(self.by_key)

    def find(self, text: str, level: str) -> list[AdminUnit]:
        """Best candidates for ``text``: [] when nothing matches, several when it stays ambiguous."""
        # Someone who types "Xã" with its accent types "Thạnh" with its accent too, so unaccented names
        # are only read loosely when the whole text is unaccented.
        accented = has_diacritics(text)
        for reading in readings(text, level):
            candidates = self.by_key.get(match_key(reading.name), [])
            if candidates:
                return _narrow(candidates, reading, accented)
        return []

    def suggestions(self, text: str, level: str) -> list[AdminUnit]:
        key = match_key(readings(text, level)[0].name)
        close = difflib.get_close_matches(key, list(self.by_key), n=MAX_SUGGESTIONS, cutoff=0.6)
        if not close:
            return []
        # Only names about as close as the best one: a one-letter slip should not also offer look-alikes.
        scores = {k: difflib.SequenceMatcher(None, key, k).ratio() for k in close}
        best = max(scores.values())
        found = [unit for k in close if scores[k] >= best - 0.1 for unit in self.by_key[k]]
        return found[:MAX_SUGGESTIONS]


def _narrow(candidates: list[AdminUnit], reading: Reading, accented: bool) -> list[AdminUnit]:
    """Keep the candidates that agree with the type word and the diacritics typed, if any do."""
    if reading.type_name:
        same_type = [c for c in candidates if fold(c.type_name) == fold(reading.type_name)]
        # A wrong type word alone (a town written as a commune) is tolerated when the name is unique.
        candidates = same_type or candidates
    if len(candidates) > 1 and accented:
        typed = accent_key(reading.name)
        same_accents = [c for c in candidates if accent_key(bare_name(c)) == typed]
        candidates = same_accents or candidates
    return candidates


# ---------------------------------------------------------------------------------------------------
# Resolver
# ---------------------------------------------------------------------------------------------------


def _choose(found: list[AdminUnit], text: str) -> AdminUnit:
    if len(found) > 1:
        raise UnitAmbiguous(" ".join(str(text).split()), sorted(found, key=lambda u: (u.generation, u.code)))
    return found[0]


class UnitResolver:
    """Resolves typed unit names, caching everything it reads (safe for one import, not for days)."""

    def __init__(self) -> None:
        self._provinces: dict[str, _Index] | None = None
        self._province_units: dict[int, AdminUnit] = {}
        self._districts: dict[int, _Index] = {}
        self._communes_by_province: dict[int, _Index] = {}
        self._communes_by_district: dict[int, _Index] = {}
        self._national: dict[str, _Index] = {}
        self._mapped_communes: dict[tuple[int, str], _Index] = {}
        # Imports repeat the same few names thousands of times: remember answers, failures included
        # (a misspelt name in every row must not run difflib over 10,000 names every time).
        self._answers: dict[tuple[object, ...], AdminUnit | UnitLookupError] = {}

    def _remembered(self, key: tuple[object, ...], compute: Callable[[], AdminUnit]) -> AdminUnit:
        if key not in self._answers:
            try:
                self._answers[key] = compute()
            except UnitLookupError as error:
                self._answers[key] = error
        answer = self._answers[key]
        if isinstance(answer, UnitLookupError):
            raise answer.with_traceback(None)
        return answer

    # -- loading ------------------------------------------------------------------------------------

    def _province_indexes(self) -> dict[str, _Index]:
        if self._provinces is None:
            units = list(AdminUnit.objects.filter(level=Level.PROVINCE))
            self._province_units = {u.pk: u for u in units}
            self._provinces = {
                gen: _Index(u for u in units if u.generation == gen) for gen in Generation.values
            }
        return self._provinces

    def _province_of(self, unit_id: int | None) -> AdminUnit | None:
        self._province_indexes()
        return self._province_units.get(unit_id) if unit_id else None

    def _load_province(self, province: AdminUnit) -> None:
        """One query for the districts and communes of a province; parents come from memory."""
        if province.pk in self._communes_by_province:
            return
        self._province_indexes()
        units = list(AdminUnit.objects.filter(province_id=province.pk))
        districts = {u.pk: u for u in units if u.level == Level.DISTRICT}
        communes = _Index()
        by_district: dict[int, _Index] = defaultdict(_Index)
        for unit in units:
            self._attach(unit, districts)
            if unit.level == Level.COMMUNE:
                communes.add(unit)
                if unit.parent_id in districts:
                    by_district[unit.parent_id].add(unit)
        self._districts[province.pk] = _Index(districts.values())
        self._communes_by_province[province.pk] = communes
        self._communes_by_district.update(by_district)
        for district_id in districts:
            self._communes_by_district.setdefault(district_id, _Index())

    def _attach(self, unit: AdminUnit, districts: dict[int, AdminUnit]) -> None:
        """Fill parent/province from memory so labels need no query."""
        province = self._province_of(unit.province_id)
        if province is not None:
            unit.province = province
        parent = (districts.get(unit.parent_id) if unit.parent_id else None) or self._province_of(
            unit.parent_id
        )
        if parent is not None:
            unit.parent = parent

    def _national_communes(self, generation: str) -> _Index:
        self._province_indexes()
        if generation not in self._national:
            provinces = [p for p in self._province_units.values() if p.generation == generation]
            for province in provinces:
                self._load_province(province)
            self._national[generation] = _Index.union(self._communes_by_province[p.pk] for p in provinces)
        return self._national[generation]

    def _provinces_in(self, province: AdminUnit, generation: str) -> list[AdminUnit]:
        """``province`` seen in ``generation``: a legacy province maps to its successor, a 2025 province
        to the legacy provinces merged into it."""
        self._province_indexes()
        if province.generation == generation:
            return [province]
        if generation == Generation.REFORM_2025:
            successor = self._province_of(province.successor_id)
            return [successor] if successor else []
        return sorted(
            (p for p in self._province_units.values() if p.successor_id == province.pk), key=lambda p: p.code
        )

    # -- public API ---------------------------------------------------------------------------------

    def resolve_province(
        self, text: str, *, generation: str | None = None, on_date: date | None = None
    ) -> AdminUnit:
        generation = generation or generation_for_date(on_date)
        return self._remembered(
            (Level.PROVINCE, text, generation), lambda: self._resolve_province(text, generation)
        )

    def _resolve_province(self, text: str, generation: str | None) -> AdminUnit:
        indexes = self._province_indexes()
        order = [generation] if generation else [Generation.REFORM_2025, Generation.LEGACY]
        for gen in order:
            found = self._find_province(indexes[gen], text)
            if found:
                return _choose(found, text)
        elsewhere = self._find_province(indexes[_other(generation)], text) if generation else []
        raise self._not_found(
            text,
            Level.PROVINCE,
            _Index.union(indexes[g] for g in order),
            scope="",
            note=generation_note(elsewhere, wanted=generation),
        )

    def _find_province(self, index: _Index, text: str) -> list[AdminUnit]:
        found = index.find(text, Level.PROVINCE)
        if found:
            return found
        for reading in readings(text, Level.PROVINCE):
            alias = _PROVINCE_ALIASES.get(match_key(reading.name))
            if alias:
                return index.by_key.get(alias, [])
        return []

    def resolve_district(self, text: str, *, province: AdminUnit) -> AdminUnit:
        return self._remembered(
            (Level.DISTRICT, text, province.pk), lambda: self._resolve_district(text, province)
        )

    def _resolve_district(self, text: str, province: AdminUnit) -> AdminUnit:
        legacy_provinces = self._provinces_in(province, Generation.LEGACY)
        for legacy_province in legacy_provinces:
            self._load_province(legacy_province)
        index = _Index.union(self._districts[p.pk] for p in legacy_provinces)
        found = index.find(text, Level.DISTRICT)
        if not found:
            raise self._not_found(text, Level.DISTRICT, index, scope=province.name)
        return _choose(found, text)

    def resolve_commune(
        self,
        text: str,
        *,
        district: AdminUnit | None = None,
        province: AdminUnit | None = None,
        generation: str | None = None,
        on_date: date | None = None,
    ) -> AdminUnit:
        wanted = generation or generation_for_date(on_date)
        key = (Level.COMMUNE, text, district and district.pk, province and province.pk, wanted)
        return self._remembered(key, lambda: self._resolve_commune(text, district, province, wanted))

    def _resolve_commune(
        self, text: str, district: AdminUnit | None, province: AdminUnit | None, wanted: str | None
    ) -> AdminUnit:
        scopes = self._commune_scopes(district, province, wanted)
        for make_index, _label in scopes:
            found = make_index().find(text, Level.COMMUNE)
            if found:
                return _choose(found, text)
        make_index, label = scopes[0]
        elsewhere: list[AdminUnit] = []
        around = self._province_of(district.province_id) if district is not None else province
        if wanted and around is not None:  # the name of a commune of the other generation, same place?
            elsewhere = self._province_communes(around, _other(wanted)).find(text, Level.COMMUNE)
        note = generation_note(elsewhere, wanted=wanted) if wanted else ""
        raise self._not_found(text, Level.COMMUNE, make_index(), scope=label, note=note)

    def _commune_scopes(
        self, district: AdminUnit | None, province: AdminUnit | None, wanted: str | None
    ) -> list[tuple[Callable[[], _Index], str]]:
        """Where to look, in order, as (index builder, label for messages); indexes are only built when
        reached. Without an explicit generation the given unit's own generation comes first and the other
        one (through the official mapping of provinces) second."""
        district_province = self._province_of(district.province_id) if district is not None else None
        if district is not None and district_province is not None and wanted != Generation.REFORM_2025:
            return [
                (
                    lambda: self._district_communes(district, district_province),
                    f"{district.name}, {district_province.name}",
                )
            ]
        if district_province is not None:
            # A district has no 2025 counterpart: look in what its province became.
            province = district_province
        if province is None:
            order = [wanted] if wanted else [Generation.REFORM_2025, Generation.LEGACY]
            return [(functools.partial(self._national_communes, gen), "") for gen in order]
        order = (
            [wanted]
            if wanted
            else [province.generation, *(g for g in Generation.values if g != province.generation)]
        )
        return [(functools.partial(self._province_communes, province, gen), province.name) for gen in order]

    def _district_communes(self, district: AdminUnit, province: AdminUnit) -> _Index:
        self._load_province(province)
        return self._communes_by_district.get(district.pk, _Index())

    def _province_communes(self, province: AdminUnit, generation: str) -> _Index:
        """Communes of ``province`` as it was or became in ``generation`` (memoised)."""
        key = (province.pk, generation)
        if key not in self._mapped_communes:
            provinces = self._provinces_in(province, generation)
            for unit in provinces:
                self._load_province(unit)
            self._mapped_communes[key] = _Index.union(self._communes_by_province[p.pk] for p in provinces)
        return self._mapped_communes[key]

    def _not_found(self, text: str, level: str, index: _Index, *, scope: str, note: str = "") -> UnitNotFound:
        typed = " ".join(str(text or "").split())
        where = f" thuộc {scope}" if scope else ""
        if not typed:
            return UnitNotFound(f"Chưa ghi tên {_LEVEL_NOUN[level]}{where}.")
        message = f"Không tìm thấy {_LEVEL_NOUN[level]} “{typed}”{where}."
        if note:  # the name is right, the generation is not: no look-alikes to offer
            return UnitNotFound(f"{message} {note}")
        suggestions = index.suggestions(typed, level)
        if suggestions:
            names = [unit_label(u) if not scope else u.name for u in suggestions]
            message += " Có phải: " + "; ".join(dict.fromkeys(names)) + "?"
        return UnitNotFound(message, suggestions)


def resolve_province(text: str, *, generation: str | None = None, on_date: date | None = None) -> AdminUnit:
    return UnitResolver().resolve_province(text, generation=generation, on_date=on_date)


def resolve_district(text: str, *, province: AdminUnit) -> AdminUnit:
    return UnitResolver().resolve_district(text, province=province)


def resolve_commune(
    text: str,
    *,
    district: AdminUnit | None = None,
    province: AdminUnit | None = None,
    generation: str | None = None,
    on_date: date | None = None,
) -> AdminUnit:
    return UnitResolver().resolve_commune(
        text, district=district, province=province, generation=generation, on_date=on_date
    )
