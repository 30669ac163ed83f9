"""Two-factor authentication (TOTP) and API tokens: the rules, no HTTP.

Who must use a second factor: admins and every officer role (``requires_two_factor``). Producers and council
members may turn it on; once they have a confirmed device it is asked at every login like for officers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
from django.db import transaction
from django.utils import timezone

from ocop.core.models import AuditLog

from .models import ApiToken, RecoveryCode, TotpDevice, User
from .roles import SECOND_FACTOR_ROLES

ISSUER = "OCOP"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
TOKEN_PREFIX = "ocop_"  # noqa: S105 — a public marker, not a secret


def requires_two_factor(user: User) -> bool:
    return user.is_superuser or user.role in SECOND_FACTOR_ROLES


def confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def needs_second_step(user: User) -> bool:
    return requires_two_factor(user) or confirmed_device(user) is not None


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth:// URI as an inline SVG QR code (no inline style, so the CSP allows it)."""
    import segno

    return segno.make(uri, error="m").svg_inline(scale=5, dark="#1d2421", light="#fff")


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def _matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    """The time step (±1 for clock drift) whose code equals ``code``, or None."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def verify_code(user: User, code: str) -> bool:
    """A TOTP code of the confirmed device (never one already used) or an unused recovery code."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        if device is None:
            return False
        step = _matching_step(device.secret, code)
        if step is not None:
            if step <= device.last_step:
                return False  # replay of a code already used
            device.last_step = step
            device.save(update_fields=["last_step"])
            return True
        return _use_recovery_code(user, code)


def _hash_code(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _use_recovery_code(user: User, code: str) -> bool:
    if len(_normalise(code)) != 10:
        return False
    row = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, code_hash=_hash_code(code), used_at__isnull=True)
        .first()
    )
    if row is None:
        return False
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    _audit(user, "Dùng mã khôi phục xác thực hai bước")
    return True


@transaction.atomic
def confirm_device(user: User, secret: str, code: str) -> list[str] | None:
    """Enrolment: the first code from the app proves the secret was copied. Returns new recovery codes."""
    step = _matching_step(secret, code)
    if step is None:
        return None
    TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": step}
    )
    codes = _new_recovery_codes(user)
    _audit(user, "Bật xác thực hai bước")
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(5)[:5]}-{secrets.token_hex(5)[:5]}" for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash_code(c)) for c in codes])
    return codes


def ensure_device(user: User, secret: str) -> TotpDevice:
    """A confirmed device with a given secret unless the user already has one (demo accounts only)."""
    device, _created = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now()}
    )
    return device


@transaction.atomic
def reset_device(*, actor: User, user: User) -> None:
    """Admin: the user lost the phone; they enrol again at the next login."""
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    _audit(actor, f"Đặt lại xác thực hai bước của {user.username}", target=user)


def _audit(user: User, text: str, *, target: User | None = None) -> None:
    target = target or user
    AuditLog.objects.create(
        user=user,
        username=user.username,
        action=AuditLog.Action.UPDATE,
        model_label="accounts.user",
        object_pk=str(target.pk),
        object_repr=f"{target} — {text}"[:200],
    )


# -- API tokens -------------------------------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the clear text is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        from django.core.exceptions import ValidationError

        raise ValidationError({"name": "Hãy đặt tên cho mã truy cập (dùng cho việc gì)."})
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(
        user=user, name=name[:100], prefix=prefix, token_hash=_token_hash(token), expires_at=expires_at
    )
    _audit(user, f"Tạo mã truy cập API “{row.name}”")
    return row, token


@transaction.atomic
def token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk and not user.can("manage_users"):
        from ocop.core.errors import ScopeError

        raise ScopeError("Bạn chỉ thu hồi được mã truy cập của mình.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit(user, f"Thu hồi mã truy cập API “{token.name}”", target=token.user)


def token_user(token: str) -> User | None:
    """The active user behind a bearer token, or None (unknown, revoked, expired or inactive user)."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    parts = token[len(TOKEN_PREFIX) :].split("_", 1)
    if len(parts) != 2:
        return None
    row = ApiToken.objects.select_related("user").filter(prefix=parts[0]).first()
    if row is None or not hmac.compare_digest(row.token_hash, _token_hash(token)):
        return None
    now = timezone.now()
    if not row.is_active(now) or not row.user.is_active:
        return None
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
