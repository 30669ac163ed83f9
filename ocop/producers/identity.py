"""What makes two records the same entity (SPEC §5.3) — the one definition, used by the import (in memory,
over thousands of rows: ``same_entity``) and by the services behind the forms (``entity_same_as``).

An entity is identified by its tax/registration number where one is given; otherwise by its name
(``ocop.core.text.identity_key``: case, spaces, Unicode form, tone-mark placement and the final i/y ignored,
diacritics kept) in the same place (``ocop.geography.places``: a legacy commune and its successor are the
same place), among entities without a number — one with another number is another entity that happens to
share the name. Two households named alike in two communes are two entities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.db.models import Q

from ocop.core.text import fold, identity_key
from ocop.geography.models import AdminUnit
from ocop.geography.places import Place, in_place, place_of

from .models import Entity


class Numbered(Protocol):
    @property
    def place(self) -> Place: ...

    @property
    def tax_code(self) -> str: ...


N = TypeVar("N", bound=Numbered)


def same_entity(candidates: Sequence[N], *, place: Place, tax_code: str = "") -> N | None:
    """The entity meant by a name in ``place`` among ``candidates`` (entities whose name has the same
    identity key), once no entity carries ``tax_code``: with a number, only one without a number."""
    if tax_code:
        candidates = [candidate for candidate in candidates if not candidate.tax_code]
    return in_place(candidates, place)


@dataclass(frozen=True)
class _Stored:
    entity: Entity
    place: Place
    tax_code: str


def entity_same_as(
    *, name: str, commune: AdminUnit, tax_code: str = "", exclude: int | None = None
) -> Entity | None:
    """The stored entity that a new entity (or an edit of entity ``exclude``) with this name, commune and
    number would be, or None. Not scoped: a duplicate is one whoever looks; callers check scope."""
    others = Entity.objects.exclude(pk=exclude) if exclude else Entity.objects.all()
    if tax_code:
        numbered = others.filter(tax_code=tax_code).first()
        if numbered is not None:
            return numbered
    place = place_of(commune)
    named = others.filter(name_key=fold(name)).filter(
        Q(commune_id=place.canon) | Q(commune__successor_id=place.canon)
    )
    key = identity_key(name)
    candidates = [
        _Stored(entity, place_of(entity.commune), entity.tax_code)
        for entity in named.select_related("commune")
        if identity_key(entity.name) == key
    ]
    found = same_entity(candidates, place=place, tax_code=tax_code)
    return found.entity if found else None
