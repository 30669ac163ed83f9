"""Factories for tests: plain functions that build valid records (no mocks, real database)."""

from __future__ import annotations

import itertools

from ocop.accounts.models import User
from ocop.accounts.roles import Role
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.producers.choices import EntityType
from ocop.producers.models import Entity
from ocop.products.models import Product, ProductSet

_counter = itertools.count(1)
PASSWORD = "Mat-khau-thu-nghiem-2026"  # noqa: S105 — test accounts only


def unit(code: str, *, level: str = Level.COMMUNE, generation: str = Generation.LEGACY) -> AdminUnit:
    return AdminUnit.objects.get(code=code, level=level, generation=generation)


def make_entity(*, commune: AdminUnit, name: str | None = None, **fields) -> Entity:
    entity = Entity(
        name=name or f"HTX thử nghiệm {next(_counter)}",
        entity_type=fields.pop("entity_type", EntityType.HTX),
        commune=commune,
        **fields,
    )
    entity.full_clean()
    entity.save()
    return entity


def make_product(*, entity: Entity, name: str | None = None, set_number: int = 7, **fields) -> Product:
    product_set = ProductSet.objects.filter(group__classification__is_current=True, number=set_number).first()
    product = Product(
        name=name or f"Sản phẩm thử nghiệm {next(_counter)}",
        entity=entity,
        commune=fields.pop("commune", entity.commune),
        product_set=product_set,
        group_code=product_set.group.code if product_set else "",
        **fields,
    )
    product.full_clean()
    product.save()
    return product


def make_user(
    role: str, *, unit: AdminUnit | None = None, entity: Entity | None = None, username: str | None = None
) -> User:
    user = User(
        username=username or f"{role}-{next(_counter)}",
        role=role,
        unit=unit,
        entity=entity,
        full_name=f"Người dùng {role}",
        is_superuser=False,
    )
    user.set_password(PASSWORD)
    user.full_clean()
    user.save()
    return user


def make_admin(username: str = "quantri") -> User:
    return make_user(Role.ADMIN, username=username)
