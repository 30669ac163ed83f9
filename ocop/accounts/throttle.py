"""Login throttling in the shared cache (database cache in production, so it holds across workers).

After LOGIN_THROTTLE_LIMIT failures for one username or one IP within the window, further attempts
are refused until the window passes (a cool-off, not a permanent lock).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

from ocop.core.text import fold

logger = logging.getLogger("ocop.security")


def _keys(username: str, ip: str) -> list[str]:
    return [f"login-fail:user:{fold(username)[:150]}", f"login-fail:ip:{ip}"]


def is_locked(username: str, ip: str) -> bool:
    limit = settings.LOGIN_THROTTLE_LIMIT
    user_key, ip_key = _keys(username, ip)
    return (cache.get(user_key) or 0) >= limit or (cache.get(ip_key) or 0) >= limit * 4


def record_failure(username: str, ip: str) -> None:
    window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
    counts = []
    for key in _keys(username, ip):
        if cache.add(key, 1, timeout=window):
            counts.append(1)
            continue
        try:
            counts.append(cache.incr(key))
        except ValueError:
            cache.set(key, 1, timeout=window)
            counts.append(1)
    limit = settings.LOGIN_THROTTLE_LIMIT
    if counts[0] == limit or counts[1] == limit * 4:
        lockout_alert(username, ip, by_ip=counts[1] == limit * 4)


def lockout_alert(username: str, ip: str, *, by_ip: bool) -> None:
    """The moment an account (or an address) gets cooled off: a warning in the log and a mail to ADMINS."""
    from django.core.mail import mail_admins

    from ocop.core.masking import mask_id_number

    what = f"địa chỉ {ip}" if by_ip else f"tài khoản “{username[:150]}”"
    minutes = settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60
    message = f"Đăng nhập sai nhiều lần: tạm khoá {what} trong {minutes} phút (IP {mask_id_number(ip)})."
    logger.warning(message)
    mail_admins("[OCOP] Tạm khoá đăng nhập", message, fail_silently=True)


def reset(username: str, ip: str) -> None:
    cache.delete(_keys(username, ip)[0])
