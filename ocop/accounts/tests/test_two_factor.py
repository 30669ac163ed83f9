"""Two-factor authentication (TOTP) for officers and admins; opt-in for the others (issue 10)."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.urls import reverse

from ocop.accounts import twofactor
from ocop.accounts.models import RecoveryCode, TotpDevice
from ocop.core.models import AuditLog
from ocop.testing import PASSWORD, TOTP_SECRET, totp_code

LOGIN = "/tai-khoan/dang-nhap/"
VERIFY = "/tai-khoan/xac-thuc/"
ENROL = "/tai-khoan/xac-thuc/dang-ky/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache, which the test settings keep in process memory."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _password_step(client, username, next_path=""):
    data = {"username": username, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    return client.post(LOGIN, data)


@pytest.mark.django_db
def test_officer_is_not_signed_in_until_the_code_is_right(client, world):
    response = _password_step(client, "tinh-thainguyen", "/chu-the/")
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert client.get("/quan-ly/").status_code == 302  # still anonymous: the workspace sends to login
    assert not AuditLog.objects.filter(action="login", username="tinh-thainguyen").exists()

    wrong = client.post(VERIFY, {"code": "000000"})
    assert wrong.status_code == 400
    assert "không đúng" in wrong.content.decode()
    assert AuditLog.objects.filter(action="login_failed", username="tinh-thainguyen").count() == 1

    ok = client.post(VERIFY, {"code": totp_code("tinh-thainguyen")})
    assert ok.status_code == 302 and ok["Location"] == "/chu-the/"
    assert client.get("/quan-ly/").status_code == 200
    assert AuditLog.objects.filter(action="login", username="tinh-thainguyen").exists()


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(world):
    user = world.users.admin
    code = totp_code(user.username)
    assert twofactor.verify_code(user, code) is True
    assert twofactor.verify_code(user, code) is False


@pytest.mark.django_db
def test_second_step_is_throttled(client, world, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    _password_step(client, "huyen-babe")
    for _ in range(3):
        client.post(VERIFY, {"code": "123456"})
    response = client.post(VERIFY, {"code": totp_code("huyen-babe")})
    assert "quá nhiều lần" in response.content.decode()
    assert client.get("/quan-ly/").status_code == 302


@pytest.mark.django_db
def test_producer_signs_in_with_password_only(client, world):
    response = _password_step(client, "htx-nammau")
    assert response.status_code == 302 and response["Location"] != VERIFY
    assert client.get("/quan-ly/").status_code == 200


@pytest.mark.django_db
def test_officer_without_device_must_enrol_then_gets_recovery_codes(client, world):
    TotpDevice.objects.filter(user=world.users.commune).delete()
    response = _password_step(client, "xa-nammau")
    assert response["Location"] == ENROL
    page = client.get(ENROL)
    html = page.content.decode()
    assert "<svg" in html and "style=" not in html
    secret = re.search(r"data-totp-secret>([A-Z2-7]+)<", html).group(1)
    assert client.get("/quan-ly/").status_code == 302

    bad = client.post(ENROL, {"code": "999999"})
    assert bad.status_code == 400
    done = client.post(ENROL, {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/quan-ly/").status_code == 200
    device = TotpDevice.objects.get(user=world.users.commune)
    assert device.confirmed and device.secret == secret
    stored = set(RecoveryCode.objects.filter(user=world.users.commune).values_list("code_hash", flat=True))
    assert not any(c in stored or c.replace("-", "") in stored for c in codes)  # only hashes are kept

    # A recovery code works once at the next login.
    client.logout()
    _password_step(client, "xa-nammau")
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    client.logout()
    _password_step(client, "xa-nammau")
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400


@pytest.mark.django_db
def test_pending_login_expires(client, world):
    _password_step(client, "tinh-thainguyen")
    session = client.session
    pending = session["ocop_2fa_pending"]
    pending["at"] = int(time.time()) - 3600
    session["ocop_2fa_pending"] = pending
    session.save()
    response = client.post(VERIFY, {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


@pytest.mark.django_db
def test_producer_may_opt_in_from_the_security_page(client, world):
    client.force_login(world.users.producer)
    page = client.get("/tai-khoan/bao-mat/")
    assert "Chưa bật" in page.content.decode()
    html = client.get(ENROL).content.decode()
    secret = re.search(r"data-totp-secret>([A-Z2-7]+)<", html).group(1)
    client.post(ENROL, {"code": pyotp.TOTP(secret).now()})
    client.logout()
    assert _password_step(client, "htx-nammau")["Location"] == VERIFY


@pytest.mark.django_db
def test_next_url_off_site_is_ignored(client, world):
    _password_step(client, "tinh-thainguyen", "https://evil.example/")
    response = client.post(VERIFY, {"code": totp_code("tinh-thainguyen")})
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")


@pytest.mark.django_db
def test_lockout_alerts_the_admins_once(client, world, settings, caplog):
    from django.core import mail

    settings.LOGIN_THROTTLE_LIMIT = 3
    settings.ADMINS = [("Quản trị", "quantri@example.vn")]
    for _ in range(5):
        client.post(LOGIN, {"username": "tinh-thainguyen", "password": "sai-mat-khau"})
    assert len(mail.outbox) == 1 and "tinh-thainguyen" in mail.outbox[0].body
    assert any("tạm khoá" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_admin_resets_a_lost_device(client, world):
    client.force_login(world.users.admin)
    url = reverse("accounts:user_edit", args=[world.users.district.pk])
    assert "Đặt lại xác thực hai bước" in client.get(url).content.decode()
    assert client.post(url, {"reset_totp": "1"}).status_code == 302
    assert not TotpDevice.objects.filter(user=world.users.district).exists()
    assert AuditLog.objects.filter(object_repr__contains="Đặt lại xác thực hai bước").exists()
    client.logout()
    assert _password_step(client, "huyen-babe")["Location"] == ENROL
