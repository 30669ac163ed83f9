"""Login throttling in the shared cache (database cache in production, so it holds across workers).

After LOGIN_THROTTLE_LIMIT failures for one username or one IP within the window, further attempts
are refused until the window passes (a cool-off, not a permanent lock).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from ocop.core.text import fold


def _keys(username: str, ip: str) -> list[str]:
    return [f"login-fail:user:{fold(username)[:150]}", f"login-fail:ip:{ip}"]


def is_locked(username: str, ip: str) -> bool:
    limit = settings.LOGIN_THROTTLE_LIMIT
    user_key, ip_key = _keys(username, ip)
    return (cache.get(user_key) or 0) >= limit or (cache.get(ip_key) or 0) >= limit * 4


def record_failure(username: str, ip: str) -> None:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    for key in _keys(username, ip):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)


def reset(username: str, ip: str) -> None:
    cache.delete(_keys(username, ip)[0])
