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
# Officers and admins must pass a TOTP step (issue 10): test accounts of those roles get this known secret.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 — test accounts only


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
    from ocop.accounts.twofactor import requires_two_factor

    if requires_two_factor(user):
        give_totp(user)
    return user


def give_totp(user: User, secret: str = TOTP_SECRET):
    """A confirmed authenticator device with a known secret (browser tests type its current code)."""
    from django.utils import timezone

    from ocop.accounts.models import TotpDevice

    return TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": 0}
    )[0]


def totp_code(username: str) -> str:
    """The next code the server will accept for this user (never one already used: codes are single-use)."""
    import time

    import pyotp

    from ocop.accounts.models import TotpDevice

    device = TotpDevice.objects.get(user__username=username)
    step = int(time.time() // 30)
    if device.last_step >= step + 1:
        time.sleep((step + 2) * 30 - time.time() + 0.1)
        step = int(time.time() // 30)
    use = max(step, device.last_step + 1)
    return pyotp.TOTP(device.secret).at(use * 30)


def totp_step(page, username: str) -> None:
    """After the password step in a browser test: type the current TOTP code if the server asks for one."""
    page.wait_for_url(lambda url: "/tai-khoan/dang-nhap/" not in url)
    if "/tai-khoan/xac-thuc/" in page.url:
        page.get_by_label("Mã xác thực").fill(totp_code(username))
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url(lambda url: "/tai-khoan/xac-thuc/" not in url)


def browser_login(page, base_url: str, username: str, *, next_path: str = "") -> None:
    """Log in through the real forms: password, then the TOTP step when the account has one."""
    page.goto(f"{base_url}/tai-khoan/dang-nhap/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    totp_step(page, username)


def make_admin(username: str = "quantri") -> User:
    return make_user(Role.ADMIN, username=username)


def database_url() -> str:
    """The test database as a DATABASE_URL, for a subprocess (another "worker") that must share it: the
    SQLite test file or the PostgreSQL test database. Only committed rows are visible there (use a
    transactional test)."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    host = s["HOST"] or "localhost"
    if host.startswith("/"):  # a Unix socket directory
        return f"postgres://{s['USER']}:{s['PASSWORD']}@/{s['NAME']}?host={host}&port={s['PORT']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{host}:{s['PORT']}/{s['NAME']}"
