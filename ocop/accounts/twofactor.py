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
    """ASCII letters and digits only: "²" or "١" are digits to ``str.isdigit`` but no code contains them."""
    return "".join(ch for ch in (code or "") if ch.isascii() and ch.isalnum()).lower()


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


ENROL_MESSAGES = {
    "current_required": "Tài khoản đã có thiết bị xác thực: nhập mã hiện tại của thiết bị đó để thay.",
    "current_wrong": "Mã của thiết bị hiện tại không đúng hoặc đã được dùng.",
    "code_wrong": "Mã chưa đúng. Hãy kiểm tra giờ trên điện thoại và nhập mã mới nhất.",
}


@transaction.atomic
def device_enrol(*, user: User, secret: str, code: str, current_code: str = "") -> list[str]:
    """Enrol an authenticator: the first code from the app proves the secret was copied. Returns new
    recovery codes; raises ValidationError (``current_code`` or ``code``) and changes nothing otherwise.

    A user who already has a confirmed device replaces it only by proving they hold it (``current_code``:
    a code of that device or an unused recovery code) — the password alone never replaces a device. The
    replacement is audited and mailed to the user. The user's row is locked, so two enrolments of one
    account run one after the other and the second sees the first's device."""
    from django.core.exceptions import ValidationError

    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = confirmed_device(user)
    if existing is not None:
        if not _normalise(current_code):
            raise ValidationError({"current_code": ENROL_MESSAGES["current_required"]})
        if not verify_code(user, current_code):
            raise ValidationError({"current_code": ENROL_MESSAGES["current_wrong"]})
    step = _matching_step(secret, code)
    if step is None:
        raise ValidationError({"code": ENROL_MESSAGES["code_wrong"]})
    TotpDevice.objects.update_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now(), "last_step": step}
    )
    codes = _new_recovery_codes(user)
    if existing is None:
        _audit(user, "Bật xác thực hai bước")
    else:
        _audit(user, "Thay thiết bị xác thực hai bước")
        _mail_device_change(
            user, "Thiết bị xác thực hai bước của tài khoản vừa được thay bằng một thiết bị mới."
        )
    return codes


def _mail_device_change(user: User, what: str) -> None:
    """Tell the account's owner (after the commit) that their second factor changed."""
    if not user.email:
        return
    from django.core.mail import send_mail

    when = timezone.localtime().strftime("%H:%M %d/%m/%Y")
    body = (
        f"Xin chào {user},\n\n{what} (lúc {when}, tài khoản “{user.username}”).\n\n"
        "Nếu không phải bạn thực hiện, hãy đổi mật khẩu và báo ngay cho quản trị hệ thống.\n"
    )
    transaction.on_commit(
        lambda: send_mail("[OCOP] Thay đổi xác thực hai bước", body, None, [user.email], fail_silently=True)
    )


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
    _mail_device_change(
        user, "Quản trị hệ thống đã đặt lại xác thực hai bước; lần đăng nhập tới bạn sẽ cài lại"
    )


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
