"""Product classification reference data (groups I–VI and the 26 product sets) for 148/2023 and 1048/2019.

The data lives in ``data/classifications.json``. ``load_product_classifications`` upserts it into
Classification / ProductGroup / ProductSet (idempotent: a second run changes nothing).
``group_code_for`` maps what officers type in the Excel column "Nhóm sản phẩm" to "I".."VI" of the
current classification without touching the database.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction

from ocop.core.text import fold

from .models import Classification, ProductGroup, ProductSet

DATA_FILE = Path(__file__).resolve().parent / "data" / "classifications.json"

ROMAN_CODES = ("I", "II", "III", "IV", "V", "VI")

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Words officers put before the group name: "Nhóm sản phẩm Đồ uống", "Ngành hàng Thảo dược", "SP Thực phẩm".
_FILLER = re.compile(r"^(?:nhom san pham|nganh hang|nhom|nganh|san pham|sp|bo san pham)\b\s*")
# "I. Thực phẩm", "Nhóm IV: …", "VI) …", "III.1": an upper-case roman code followed by punctuation.
_ROMAN_PREFIX = re.compile(r"^\s*(?:(?i:nh[oó]m)\s+)?(I|II|III|IV|V|VI)\s*[.:)\-–—/,]")


@lru_cache(maxsize=1)
def classification_data() -> dict[str, Any]:
    """The parsed JSON (cached). Treat it as read-only."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def _key(text: str | None) -> str:
    """Folded, punctuation-free form used for matching: "Lưu niệm – nội thất" → "luu niem noi that"."""
    return _NON_ALNUM.sub(" ", fold(text)).strip()


def _strip_filler(key: str) -> str:
    previous = None
    while key and key != previous:
        previous = key
        key = _FILLER.sub("", key).strip()
    return key


@lru_cache(maxsize=1)
def _group_index() -> dict[str, str]:
    """Folded name → current group code. Earlier entries win: current names/aliases, then current sets and
    branches, then names of other (historical) versions through their "maps_to"."""
    data = classification_data()["classifications"]
    current = [c for c in data if c.get("is_current")]
    others = [c for c in data if not c.get("is_current")]
    index: dict[str, str] = {}

    def add(text: str, code: str) -> None:
        for key in {_key(text), _strip_filler(_key(text))}:
            if key:
                index.setdefault(key, code)

    for cls in current:
        for group in cls["groups"]:
            add(group["name"], group["code"])
            for alias in group.get("aliases", []):
                add(alias, group["code"])
    for cls in current:
        for group in cls["groups"]:
            for pset in group["sets"]:
                add(pset["code"], group["code"])
                add(pset["name"], group["code"])
                if pset.get("branch"):
                    add(pset["branch"], group["code"])
    for cls in others:
        for group in cls["groups"]:
            target = group.get("maps_to")
            if not target:
                continue
            add(group["name"], target)
            for alias in group.get("aliases", []):
                add(alias, target)
            for pset in group["sets"]:
                add(pset["name"], target)
                if pset.get("branch"):
                    add(pset["branch"], target)
    return index


def _lookup(key: str) -> str | None:
    index = _group_index()
    for candidate in (key, _strip_filler(key)):
        if candidate in index:
            return index[candidate]
    # Longest known name the text starts with: "Thực phẩm chế biến sẵn" → I, "Du lịch cộng đồng bản X" → VI.
    stripped = _strip_filler(key)
    best: tuple[int, str] | None = None
    for name, code in index.items():
        if len(name) < 4:  # roman codes and very short keys only match exactly
            continue
        if stripped.startswith(name + " ") and (best is None or len(name) > best[0]):
            best = (len(name), code)
    return best[1] if best else None


def group_code_for(text: str | None) -> str | None:
    """Map a group name, alias, roman code or set name to "I".."VI" of the current classification.

    Ignores case, diacritics and punctuation. Historical (1048/2019) group names map to their 148
    equivalent ("Thảo dược" → "III", "Lưu niệm – nội thất – trang trí" → "IV"). Returns None when the
    text is empty or not recognised. Pure: reads the JSON, never the database.
    """
    key = _key(text)
    if not key:
        return None
    stripped = _strip_filler(key)
    if stripped.upper() in ROMAN_CODES:
        return stripped.upper()
    found = _lookup(key)
    if found:
        return found
    # "I. Thực phẩm", "iv thủ công mỹ nghệ", "V - Lưu niệm…": a roman code followed by a name. A known name
    # wins over the code (1048 numbered its groups differently); an unknown name after an explicit upper-case
    # code followed by punctuation ("Nhóm VI - Homestay bản Lác") trusts the code.
    first, _, rest = stripped.partition(" ")
    if first.upper() in ROMAN_CODES and rest:
        found = _lookup(rest)
        if found:
            return found
    match = _ROMAN_PREFIX.match(unicodedata.normalize("NFC", str(text)))
    return match.group(1) if match else None


def _parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _apply(obj, values: dict[str, Any]) -> bool:
    """Set changed fields on obj; True when something changed (caller saves)."""
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    return bool(changed)


def load_product_classifications() -> dict[str, int]:
    """Upsert classifications, groups and sets from the JSON. Idempotent.

    Keys: Classification.code, (classification, group code), (group, set number). Nothing is deleted
    (products reference sets with PROTECT). Returns totals in the file and what was created/updated.
    """
    data = classification_data()["classifications"]
    stats = {"classifications": 0, "groups": 0, "sets": 0, "created": 0, "updated": 0}
    with transaction.atomic():
        current_codes = [c["code"] for c in data if c.get("is_current")]
        for cls_data in data:
            cls_values = {
                "name": cls_data["name"],
                "valid_from": _parse_date(cls_data["valid_from"]),
                "valid_to": _parse_date(cls_data.get("valid_to")),
                "is_current": bool(cls_data.get("is_current")),
            }
            cls = _upsert(Classification, {"code": cls_data["code"]}, cls_values, stats)
            stats["classifications"] += 1
            groups = {g.code: g for g in ProductGroup.objects.filter(classification=cls)}
            for group_data in cls_data["groups"]:
                group = groups.get(group_data["code"])
                group = _upsert(
                    ProductGroup,
                    {"classification": cls, "code": group_data["code"]},
                    {"name": group_data["name"]},
                    stats,
                    existing=group,
                )
                stats["groups"] += 1
                sets = {s.number: s for s in ProductSet.objects.filter(group=group)}
                for set_data in group_data["sets"]:
                    _upsert(
                        ProductSet,
                        {"group": group, "number": set_data["number"]},
                        {
                            "code": set_data["code"],
                            "branch": set_data.get("branch", ""),
                            "name": set_data["name"],
                        },
                        stats,
                        existing=sets.get(set_data["number"]),
                    )
                    stats["sets"] += 1
        if current_codes:
            # Exactly one current version: demote any other classification still flagged as current.
            stats["updated"] += (
                Classification.objects.filter(is_current=True)
                .exclude(code__in=current_codes)
                .update(is_current=False)
            )
    return stats


def _upsert(model, lookup: dict[str, Any], values: dict[str, Any], stats: dict[str, int], existing=None):
    obj = existing if existing is not None else model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        stats["created"] += 1
    elif _apply(obj, values):
        obj.save(update_fields=list(values))
        stats["updated"] += 1
    return obj


def current_classification() -> Classification | None:
    """The classification in force (148/2023 once loaded); None before the reference data is loaded."""
    return Classification.objects.filter(is_current=True).order_by("-valid_from", "-id").first()
