"""What makes two records the same product (SPEC §5.3) — the one definition, used by the import (in memory,
over thousands of rows: ``same_product``) and by the services behind the forms (``product_same_as``).

A product is the same product when its entity and its name match in the same place: names compared by
``ocop.core.text.identity_key`` (case, spaces, Unicode form, tone-mark placement and the final i/y
ignored; diacritics kept), places by ``ocop.geography.places`` (a legacy commune and its successor are the
same place). ``probably_same_name`` tells a likely misspelling of an existing product, for a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q

from ocop.core.text import fold, identity_key
from ocop.geography.models import AdminUnit
from ocop.geography.places import Located, Place, in_place, place_of
from ocop.producers.models import Entity

from .models import Product

L = TypeVar("L", bound=Located)


def same_product(candidates: Sequence[L], *, place: Place) -> L | None:
    """The product meant by a name in ``place`` among ``candidates`` (products of the same entity whose
    name has the same identity key)."""
    return in_place(candidates, place)


@dataclass(frozen=True)
class _Stored:
    product: Product
    place: Place


def product_same_as(
    *, entity: Entity, name: str, commune: AdminUnit, exclude: int | None = None
) -> Product | None:
    """The stored product that a new product (or an edit of product ``exclude``) of this entity, name and
    commune would be, or None. Not scoped: callers check scope."""
    place = place_of(commune)
    named = Product.objects.filter(entity=entity, name_key=fold(name)).filter(
        Q(commune_id=place.canon) | Q(commune__successor_id=place.canon)
    )
    if exclude:
        named = named.exclude(pk=exclude)
    key = identity_key(name)
    candidates = [
        _Stored(product, place_of(product.commune))
        for product in named.select_related("commune")
        if identity_key(product.name) == key
    ]
    found = same_product(candidates, place=place)
    return found.product if found else None


_DIGIT = re.compile(r"\d")


def probably_same_name(a: str, b: str) -> bool:
    """Two different names one small edit apart: the same letters with other diacritics ("Chè"/"Chế"), or
    one letter added, dropped or changed ("Tài Hoan"/"Tài Hoa"). A differing digit is a deliberate variant
    ("Gạo ST24"/"Gạo ST25"), not a slip."""
    if abs(len(a) - len(b)) > 2 or identity_key(a) == identity_key(b):  # (folding keeps lengths ±1)
        return False
    x, y = fold(a), fold(b)
    if x == y:
        return True
    if abs(len(x) - len(y)) > 1:
        return False
    start = 0
    while start < min(len(x), len(y)) and x[start] == y[start]:
        start += 1
    if len(x) == len(y):
        changed, rest = x[start] + y[start], x[start + 1 :] == y[start + 1 :]
    elif len(x) > len(y):
        changed, rest = x[start], x[start + 1 :] == y[start:]
    else:
        changed, rest = y[start], y[start + 1 :] == x[start:]
    return rest and not _DIGIT.search(changed)
