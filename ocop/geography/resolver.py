"""Resolve administrative unit names as officers type them (SPEC §2, §5.3), in the generation a row's date
asks for: the keys and readings are ``names.py``'s, the errors ``lookup_errors.py``'s.

``UnitResolver`` keeps per-province indexes in memory so an import of 20,000 rows does one query per
province touched, not one per row.
"""

from __future__ import annotations

import difflib
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from ocop.core.text import fold
from ocop.legal.periods import REFORM_DATE

from .lookup_errors import (
    LEVEL_NOUN,
    UnitAmbiguous,
    UnitLookupError,
    UnitNotFound,
    generation_note,
    unit_label,
)
from .models import AdminUnit, Generation, Level
from .names import (
    PROVINCE_ALIASES,
    Reading,
    accent_key,
    bare_name,
    has_diacritics,
    match_key,
    readings,
    unit_match_key,
)

MAX_SUGGESTIONS = 5


def _other(generation: str | None) -> str:
    return Generation.LEGACY if generation == Generation.REFORM_2025 else Generation.REFORM_2025


def generation_for_date(on_date: date | None) -> str | None:
    if on_date is None:
        return None
    return Generation.LEGACY if on_date < REFORM_DATE else Generation.REFORM_2025


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
            alias = PROVINCE_ALIASES.get(match_key(reading.name))
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
            return UnitNotFound(f"Chưa ghi tên {LEVEL_NOUN[level]}{where}.")
        message = f"Không tìm thấy {LEVEL_NOUN[level]} “{typed}”{where}."
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
