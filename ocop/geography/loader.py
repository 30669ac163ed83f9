"""Load both generations of administrative units and the official 01/07/2025 mapping (SPEC §2).

Source: the data files shipped with the ``vietnamadminunits`` package (sqlite ``dataset.db`` and
``converter_2025.json``), read directly — the package's own parser takes seconds to import and answers
one address at a time.

The load is idempotent: units are matched on (generation, level, code); only differing rows are written,
units missing from the source are kept (records point at them), and the succession table is brought to
exactly the official mapping. Rows are written in dependency order (2025 provinces → 2025 communes →
legacy provinces → legacy districts → legacy communes) so every foreign key is known when a row is
created and a fresh load is a handful of bulk inserts.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.db.models import F

from ocop.core.text import fold, fold_compact

from .models import AdminUnit, Generation, Level, UnitSuccession
from .names import TYPE_WORDS, match_key, split_type

BATCH_SIZE = 1000
UnitKey = tuple[str, str, str]  # (generation, level, code)
KeyTable = dict[tuple[str, ...], UnitKey]  # package keys ("tinhbackan", "huyenpacnam", …) → UnitKey
# Columns compared to decide whether an existing row needs writing.
UNIT_FIELDS = (
    "name",
    "short_name",
    "type_name",
    "parent_id",
    "province_id",
    "successor_id",
    "latitude",
    "longitude",
    "search_key",
    "match_key",
)


# ---------------------------------------------------------------------------------------------------
# Reading the package data
# ---------------------------------------------------------------------------------------------------


def package_data_dir() -> Path:
    """The package's data folder, found without importing the package (its import builds parsers)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Chưa cài gói vietnamadminunits (pip install vietnamadminunits).")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(db_path: Path, sql: str) -> list[dict[str, Any]]:
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql)]
    finally:
        connection.close()


@dataclass
class UnitSpec:
    """A unit as the source describes it; foreign keys are given as UnitKeys, resolved to ids on write."""

    key: UnitKey
    name: str
    short_name: str
    type_name: str
    latitude: float | None
    longitude: float | None
    parent: UnitKey | None = None
    province: UnitKey | None = None
    successor: UnitKey | None = None


@dataclass
class SourceData:
    new_provinces: list[UnitSpec] = field(default_factory=list)
    new_communes: list[UnitSpec] = field(default_factory=list)
    old_provinces: list[UnitSpec] = field(default_factory=list)
    old_districts: list[UnitSpec] = field(default_factory=list)
    old_communes: list[UnitSpec] = field(default_factory=list)
    # (old commune key, new commune key, is default)
    successions: list[tuple[UnitKey, UnitKey, bool]] = field(default_factory=list)
    unmapped: list[UnitSpec] = field(default_factory=list)


def _nfc(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _naming(full_name: str, level: str, declared_type: str | None = None) -> tuple[str, str, str]:
    """(name, short_name, type_name) with the type word spelled canonically.

    The source writes "Thành Phố Bắc Kạn", "Thị Xã Việt Yên" and qualifies clashing short names
    ("Duyên Hải (Huyện)"); the type word of the full name is trusted over the declared type column, which
    disagrees with it for a few 2025 wards.
    """
    full_name = _nfc(full_name)
    type_name, bare = split_type(full_name, TYPE_WORDS[level])
    if not type_name:
        type_name, bare = _nfc(declared_type), full_name
    name = f"{type_name} {bare}" if type_name else bare
    # "Phường 1" is its own short name: "1" alone means nothing on screen.
    short_name = name if bare.isdigit() else bare
    return name, short_name, type_name


def _spec(
    key: UnitKey,
    full_name: str,
    lat: Any,
    lon: Any,
    declared_type: str | None = None,
    **links: UnitKey | None,
) -> UnitSpec:
    name, short_name, type_name = _naming(full_name, key[1], declared_type)
    return UnitSpec(key, name, short_name, type_name, lat, lon, **links)


def read_source(data_dir: Path | None = None) -> SourceData:
    data_dir = data_dir or package_data_dir()
    legacy = _rows(data_dir / "dataset.db", "SELECT * FROM admin_units_legacy ORDER BY wardCode")
    reform = _rows(data_dir / "dataset.db", "SELECT * FROM admin_units ORDER BY wardCode")
    with open(data_dir / "converter_2025.json", encoding="utf-8") as handle:
        converter = json.load(handle)
    source = SourceData()
    new_province_keys = _read_reform(reform, source)
    old_commune_keys = _read_legacy(legacy, source, converter, new_province_keys)
    _read_successions(converter, source, old_commune_keys, _reform_commune_keys(reform))
    _set_default_successors(source)
    return source


def _read_reform(rows: list[dict[str, Any]], source: SourceData) -> dict[str, UnitKey]:
    """2025 provinces and communes; returns package province key → UnitKey."""
    provinces: dict[str, UnitKey] = {}
    new, province_level, commune_level = Generation.REFORM_2025, Level.PROVINCE, Level.COMMUNE
    for row in rows:
        if row["provinceKey"] not in provinces:
            key = (new, province_level, row["provinceCode"])
            provinces[row["provinceKey"]] = key
            source.new_provinces.append(_spec(key, row["province"], row["provinceLat"], row["provinceLon"]))
        province = provinces[row["provinceKey"]]
        key = (new, commune_level, row["wardCode"])
        source.new_communes.append(
            _spec(
                key,
                row["ward"],
                row["wardLat"],
                row["wardLon"],
                row["wardType"],
                parent=province,
                province=province,
                successor=key,
            )
        )
    return provinces


def _reform_commune_keys(rows: list[dict[str, Any]]) -> KeyTable:
    """(package province key, ward key) → UnitKey, also under the folded ward key when unambiguous."""
    exact = {
        (r["provinceKey"], r["wardKey"]): (Generation.REFORM_2025, Level.COMMUNE, r["wardCode"]) for r in rows
    }
    return _with_folded_keys(exact)


def _with_folded_keys(exact: KeyTable) -> KeyTable:
    """Add ASCII-folded variants of the package keys where they do not clash.

    The package keeps diacritics in a few keys to keep apart names that fold alike ("xãcẩmgiang" /
    "xãcẩmgiàng"), and the converter occasionally spells one of those keys differently from the dataset.
    Exact keys win; a folded key is only added when it points at a single unit.
    """
    folded: dict[tuple[str, ...], set[UnitKey]] = {}
    for parts, key in exact.items():
        folded.setdefault(tuple(fold_compact(p) for p in parts), set()).add(key)
    result = dict(exact)
    for parts, keys in folded.items():
        if len(keys) == 1 and parts not in result:
            result[parts] = next(iter(keys))
    return result


def _lookup(keys: KeyTable, parts: tuple[str, ...]) -> UnitKey | None:
    return keys.get(parts) or keys.get(tuple(fold_compact(p) for p in parts))


def _read_legacy(
    rows: list[dict[str, Any]],
    source: SourceData,
    converter: dict[str, Any],
    new_provinces: dict[str, UnitKey],
) -> KeyTable:
    """Legacy provinces, districts, communes; returns (prov key, district key, ward key) → UnitKey."""
    old = Generation.LEGACY
    province_successor = {
        old_key: new_provinces[new_key]
        for new_key, old_keys in converter["DICT_PROVINCE"].items()
        for old_key in old_keys
    }
    provinces: dict[str, UnitKey] = {}
    districts: dict[str, UnitKey] = {}
    communes: KeyTable = {}
    for row in rows:
        if row["provinceKey"] not in provinces:
            key = (old, Level.PROVINCE, row["provinceCode"])
            provinces[row["provinceKey"]] = key
            source.old_provinces.append(
                _spec(
                    key,
                    row["province"],
                    row["provinceLat"],
                    row["provinceLon"],
                    successor=province_successor.get(row["provinceKey"]),
                )
            )
        province = provinces[row["provinceKey"]]
        if row["districtCode"] not in districts:
            key = (old, Level.DISTRICT, row["districtCode"])
            districts[row["districtCode"]] = key
            source.old_districts.append(
                _spec(
                    key,
                    row["district"],
                    row["districtLat"],
                    row["districtLon"],
                    row["districtType"],
                    parent=province,
                    province=province,
                )
            )
        if not row["wardCode"]:
            continue  # island districts without communes (Hoàng Sa, Bạch Long Vĩ, Cồn Cỏ, …)
        key = (old, Level.COMMUNE, row["wardCode"])
        communes[(row["provinceKey"], row["districtKey"], row["wardKey"])] = key
        source.old_communes.append(
            _spec(
                key,
                row["ward"],
                row["wardLat"],
                row["wardLon"],
                row["wardType"],
                parent=districts[row["districtCode"]],
                province=province,
            )
        )
    return _with_folded_keys(communes)


def _read_successions(
    converter: dict[str, Any], source: SourceData, old_keys: KeyTable, new_keys: KeyTable
) -> None:
    pairs: dict[tuple[UnitKey, UnitKey], bool] = {}

    def add(old_path: str, new_province: str, new_ward: str, is_default: bool) -> None:
        old_key = _lookup(old_keys, tuple(old_path.split("_")))
        new_key = _lookup(new_keys, (new_province, new_ward))
        if old_key and new_key:
            pairs[(old_key, new_key)] = pairs.get((old_key, new_key), False) or is_default

    # Whole old communes merged into a new one: the new one is their only, hence default, successor.
    for new_province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_paths in wards.items():
            for old_path in old_paths:
                add(old_path, new_province, new_ward, True)
    # Old communes split among several new ones; the source marks the default.
    for new_province, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_path, targets in divided.items():
            for target in targets:
                add(old_path, new_province, target["newWardKey"], bool(target.get("isDefaultNewWard")))
    source.successions = [(old, new, default) for (old, new), default in pairs.items()]


def _set_default_successors(source: SourceData) -> None:
    """A legacy commune's successor is its default new commune (the first one if the source marks none)."""
    default = {old: new for old, new, is_default in source.successions if is_default}
    for old, new, _is_default in source.successions:
        default.setdefault(old, new)
    for spec in source.old_communes:
        spec.successor = default.get(spec.key)
        if spec.successor is None:
            source.unmapped.append(spec)


# ---------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Writer:
    """Syncs UnitSpecs into AdminUnit rows, remembering every unit's id by UnitKey."""

    ids: dict[UnitKey, int]
    existing: dict[UnitKey, dict[str, Any]]
    created: int = 0
    updated: int = 0

    @classmethod
    def from_database(cls) -> _Writer:
        existing: dict[UnitKey, dict[str, Any]] = {}
        for row in AdminUnit.objects.values("id", "generation", "level", "code", *UNIT_FIELDS):
            existing[(row["generation"], row["level"], row["code"])] = row
        return cls(ids={key: row["id"] for key, row in existing.items()}, existing=existing)

    def _values(self, spec: UnitSpec) -> dict[str, Any]:
        bare = split_type(spec.name, [spec.type_name])[1] if spec.type_name else spec.name
        return {
            "name": spec.name,
            "short_name": spec.short_name,
            "type_name": spec.type_name,
            "parent_id": self._id(spec.parent),
            "province_id": self._id(spec.province),
            "successor_id": self._id(spec.successor),
            "latitude": spec.latitude,
            "longitude": spec.longitude,
            "search_key": fold(spec.name),
            "match_key": match_key(bare),
        }

    def _id(self, key: UnitKey | None) -> int | None:
        # .get: a 2025 commune names itself as successor before it has an id (fixed after creation).
        return self.ids.get(key) if key is not None else None

    def sync(self, specs: Iterable[UnitSpec]) -> None:
        to_create: list[tuple[UnitKey, AdminUnit]] = []
        to_update: list[AdminUnit] = []
        changed_fields: set[str] = set()
        for spec in specs:
            values = self._values(spec)
            row = self.existing.get(spec.key)
            if row is None:
                generation, level, code = spec.key
                new_unit = AdminUnit(generation=generation, level=level, code=code, **values)
                to_create.append((spec.key, new_unit))
                continue
            changed = {name for name, value in values.items() if row[name] != value}
            if changed:
                changed_fields |= changed
                to_update.append(AdminUnit(id=row["id"], **values))
        if to_create:
            created = AdminUnit.objects.bulk_create([unit for _key, unit in to_create], batch_size=BATCH_SIZE)
            for (key, _unit), unit in zip(to_create, created, strict=True):
                self.ids[key] = unit.pk
            self.created += len(created)
        if to_update:
            AdminUnit.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
            self.updated += len(to_update)


def _sync_successions(source: SourceData, ids: dict[UnitKey, int]) -> dict[str, int]:
    wanted = {(ids[old], ids[new]): default for old, new, default in source.successions}
    existing = {
        (old, new): (pk, default)
        for pk, old, new, default in UnitSuccession.objects.values_list(
            "id", "old_unit_id", "new_unit_id", "is_default"
        )
    }
    missing = [
        UnitSuccession(old_unit_id=old, new_unit_id=new, is_default=default)
        for (old, new), default in wanted.items()
        if (old, new) not in existing
    ]
    changed = [
        UnitSuccession(id=pk, is_default=wanted[pair])
        for pair, (pk, default) in existing.items()
        if pair in wanted and wanted[pair] != default
    ]
    stale = [pk for pair, (pk, _default) in existing.items() if pair not in wanted]
    UnitSuccession.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    UnitSuccession.objects.bulk_update(changed, ["is_default"], batch_size=BATCH_SIZE)
    for start in range(0, len(stale), BATCH_SIZE):
        UnitSuccession.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    return {
        "successions_created": len(missing),
        "successions_updated": len(changed),
        "successions_deleted": len(stale),
    }


def load_admin_units(stdout: TextIO | None = None) -> dict[str, int]:
    """Load or refresh all units and successions; returns counts (see keys below)."""
    source = read_source()
    with transaction.atomic():
        writer = _Writer.from_database()
        for specs in (
            source.new_provinces,
            source.new_communes,
            source.old_provinces,
            source.old_districts,
            source.old_communes,
        ):
            writer.sync(specs)
        # A 2025 commune is its own successor; a new one only gets its id on insert. Existing rows
        # were compared with their own id already, so this touches just the rows created above.
        AdminUnit.objects.filter(
            generation=Generation.REFORM_2025, level=Level.COMMUNE, successor__isnull=True
        ).update(successor_id=F("id"))
        succession_counts = _sync_successions(source, writer.ids)
    counts = {
        "provinces_2019": len(source.old_provinces),
        "districts_2019": len(source.old_districts),
        "communes_2019": len(source.old_communes),
        "provinces_2025": len(source.new_provinces),
        "communes_2025": len(source.new_communes),
        "successions": len(source.successions),
        "unmapped": len(source.unmapped),
        "created": writer.created,
        "updated": writer.updated,
        **succession_counts,
    }
    if stdout is not None:
        for spec in source.unmapped:
            stdout.write(f"Chưa có đơn vị kế thừa: {spec.name} (mã {spec.key[2]})\n")
    return counts
