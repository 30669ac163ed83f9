"""Login throttling: a slot is reserved before a password or code is checked, and kept only if it was wrong.

Counters (``ocop.core.ratelimit.add``) live in the shared cache — the database cache in production, updated
under a lock — so they hold across workers and concurrent requests. The check and the count are one atomic
step: an attempt first adds itself to the counters of its username (or, at the second step, of its user's
second factor) and of its address, and is refused when that makes either exceed its limit. A wrong password
or code keeps its place in the counters (a failure); a right one gives it back. So:

* 40 concurrent wrong passwords for one account get exactly ``LOGIN_THROTTLE_LIMIT`` checked, not "as many as
  started before the first failure was written" (the race of a check-then-count throttle);
* correct logins never add up: only wrong passwords and wrong codes count.

After the limit the account (or address) is cooled off until the window that began with its first failure
passes — not a permanent lock. The moment it is cooled off a warning goes to the ``ocop.security``
logger and a mail to ``ADMINS``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings

from ocop.core import ratelimit
from ocop.core.text import fold

logger = logging.getLogger("ocop.security")

IP_FACTOR = 4  # one address may fail four times as often as one account (offices share an address)


class Throttled(Exception):
    message = "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."


@dataclass(frozen=True)
class Counter:
    key: str
    limit: int
    label: str  # what is cooled off, in the alert

    @classmethod
    def account(cls, username: str) -> Counter:
        name = fold(username)[:150]
        return cls(f"login-fail:user:{name}", settings.LOGIN_THROTTLE_LIMIT, f"tài khoản “{username[:150]}”")

    @classmethod
    def second_factor(cls, user_pk: int, username: str) -> Counter:
        return cls(
            f"login-fail:2fa:{user_pk}",
            settings.LOGIN_THROTTLE_LIMIT,
            f"bước xác thực hai bước của “{username}”",
        )

    @classmethod
    def address(cls, ip: str) -> Counter:
        return cls(f"login-fail:ip:{ip}", settings.LOGIN_THROTTLE_LIMIT * IP_FACTOR, f"địa chỉ {ip}")


class Attempt:
    """One password or code being checked; its place in the counters is given back by ``succeeded``."""

    def __init__(self, counters: tuple[Counter, ...], ip: str) -> None:
        self.counters = counters
        self.ip = ip
        self.outcome: bool | None = None

    def succeeded(self) -> None:
        self.outcome = True

    def failed(self) -> None:
        self.outcome = False


@contextmanager
def attempt(*counters: Counter, ip: str = "") -> Iterator[Attempt]:
    """Reserve one place in every counter, or raise ``Throttled`` (nothing is then checked).

    Inside the block the caller checks the secret and calls ``succeeded()`` or ``failed()``; a block left
    without either (an error) gives the places back, so a crash is not held against the user."""
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    reserved: dict[Counter, int] = {}
    try:
        for counter in counters:
            value = ratelimit.add(counter.key, 1, window)
            reserved[counter] = value
            if value > counter.limit:
                raise Throttled
    except Throttled:
        for counter in reserved:  # a refused attempt is not a failure: it checked nothing
            ratelimit.add(counter.key, -1, window)
        raise
    current = Attempt(counters, ip)
    try:
        yield current
    finally:
        if current.outcome is False:
            for counter, value in reserved.items():
                if value == counter.limit:  # this failure is the one that fills the counter
                    lockout_alert(counter, ip)
        else:
            for counter in counters:
                ratelimit.add(counter.key, -1, window)


def lockout_alert(counter: Counter, ip: str) -> None:
    """The moment an account (or an address) gets cooled off: a warning in the log and a mail to ADMINS."""
    from django.core.mail import mail_admins

    from ocop.core.masking import mask_id_number

    minutes = settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60
    message = (
        f"Đăng nhập sai nhiều lần: tạm khoá {counter.label} trong {minutes} phút (IP {mask_id_number(ip)})."
    )
    logger.warning(message)
    mail_admins("[OCOP] Tạm khoá đăng nhập", message, fail_silently=True)


def reset(*counters: Counter) -> None:
    """A completed login forgets the account's earlier failures (the address keeps its own)."""
    for counter in counters:
        ratelimit.clear(counter.key)
