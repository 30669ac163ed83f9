"""Issue 18: a password alone never opens an officer's account; only wrong secrets count against the limit."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.core import mail

from ocop.accounts import twofactor
from ocop.accounts.models import TotpDevice
from ocop.core.models import AuditLog
from ocop.testing import PASSWORD, TOTP_SECRET, totp_code

LOGIN = "/tai-khoan/dang-nhap/"
VERIFY = "/tai-khoan/xac-thuc/"
ENROL = "/tai-khoan/xac-thuc/dang-ky/"
SECURITY = "/tai-khoan/bao-mat/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _password_step(client, username):
    return client.post(LOGIN, {"username": username, "password": PASSWORD})


def _secret_on(html: str) -> str:
    found = re.search(r"data-totp-secret>([A-Z2-7]+)<", html)
    assert found, "the enrolment page shows the secret"
    return found.group(1)


@pytest.mark.django_db
def test_password_alone_cannot_enrol_over_a_confirmed_device(client, world):
    """The probe's hole: after the password, the enrol page replaced the victim's device and signed in."""
    assert _password_step(client, "tinh-thainguyen")["Location"] == VERIFY
    page = client.get(ENROL)
    assert page.status_code == 302 and page["Location"] == VERIFY
    attacker_secret = pyotp.random_base32()
    session = client.session
    session["ocop_2fa_secret"] = attacker_secret
    session.save()
    response = client.post(ENROL, {"code": pyotp.TOTP(attacker_secret).now()})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert TotpDevice.objects.get(user=world.users.province).secret == TOTP_SECRET
    assert client.get("/quan-ly/").status_code == 302  # still not signed in


@pytest.mark.django_db
def test_enrol_service_refuses_to_replace_a_device_without_its_current_code(world):
    from django.core.exceptions import ValidationError

    secret = pyotp.random_base32()
    with pytest.raises(ValidationError) as missing:
        twofactor.device_enrol(user=world.users.province, secret=secret, code=pyotp.TOTP(secret).now())
    assert "current_code" in missing.value.message_dict
    with pytest.raises(ValidationError) as wrong:
        twofactor.device_enrol(
            user=world.users.province, secret=secret, code=pyotp.TOTP(secret).now(), current_code="000000"
        )
    assert "current_code" in wrong.value.message_dict
    assert TotpDevice.objects.get(user=world.users.province).secret == TOTP_SECRET


@pytest.mark.django_db
def test_signed_in_user_replaces_the_device_with_the_current_code_audited_and_mailed(
    client, world, django_capture_on_commit_callbacks
):
    user = world.users.province
    user.email = "tinh@example.vn"
    user.save(update_fields=["email"])
    client.force_login(user)
    assert "Thay thiết bị xác thực" in client.get(SECURITY).content.decode()
    html = client.get(ENROL).content.decode()
    assert "Mã của thiết bị hiện tại" in html
    secret = _secret_on(html)

    without = client.post(ENROL, {"code": pyotp.TOTP(secret).now()})
    assert without.status_code == 400 and "thiết bị hiện tại" in without.content.decode()
    wrong = client.post(ENROL, {"current_code": "000000", "code": pyotp.TOTP(secret).now()})
    assert wrong.status_code == 400
    assert TotpDevice.objects.get(user=user).secret == TOTP_SECRET
    assert mail.outbox == []

    with_current = {"current_code": totp_code(user.username), "code": pyotp.TOTP(secret).now()}
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(ENROL, with_current)
    assert done.status_code == 200 and "mã khôi phục" in done.content.decode().lower()
    assert TotpDevice.objects.get(user=user).secret == secret
    assert AuditLog.objects.filter(object_repr__contains="Thay thiết bị xác thực hai bước").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["tinh@example.vn"]
    assert "thay" in mail.outbox[0].body


@pytest.mark.django_db
def test_admin_reset_is_mailed_to_the_user(client, world, django_capture_on_commit_callbacks):
    user = world.users.district
    user.email = "huyen@example.vn"
    user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        twofactor.reset_device(actor=world.users.admin, user=user)
    assert [m.to for m in mail.outbox] == [["huyen@example.vn"]]


@pytest.mark.django_db
def test_user_without_device_still_enrols_after_the_password(client, world):
    TotpDevice.objects.filter(user=world.users.commune).delete()
    assert _password_step(client, "xa-nammau")["Location"] == ENROL
    secret = _secret_on(client.get(ENROL).content.decode())
    done = client.post(ENROL, {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert client.get("/quan-ly/").status_code == 200


@pytest.mark.django_db
def test_five_correct_logins_in_the_window_never_lock_out(client, world, settings):
    """Only wrong codes count: before, five right ones said "nhập sai quá nhiều lần"."""
    settings.LOGIN_THROTTLE_LIMIT = 5
    for _ in range(7):
        TotpDevice.objects.filter(user=world.users.province).update(last_step=0)  # a new 30 s step
        assert _password_step(client, "tinh-thainguyen")["Location"] == VERIFY
        ok = client.post(VERIFY, {"code": totp_code("tinh-thainguyen")})
        assert ok.status_code == 302, ok.content.decode()
        client.logout()
    for _ in range(7):
        assert _password_step(client, "htx-nammau").status_code == 302
        client.logout()


@pytest.mark.django_db
def test_wrong_codes_count_and_a_login_in_between_does_not_reset_them(client, world, settings):
    """The code step has its own counter: signing in with the password again does not wipe it."""
    settings.LOGIN_THROTTLE_LIMIT = 3
    for _ in range(3):
        _password_step(client, "huyen-babe")
        assert client.post(VERIFY, {"code": "123456"}).status_code == 400
    _password_step(client, "huyen-babe")
    refused = client.post(VERIFY, {"code": totp_code("huyen-babe")})
    assert "quá nhiều lần" in refused.content.decode()
    assert client.get("/quan-ly/").status_code == 302


@pytest.mark.django_db
def test_unicode_digits_in_a_code_are_a_wrong_code_not_an_error(client, world):
    _password_step(client, "tinh-thainguyen")
    for code in ("²²²²²²", "١٢٣٤٥٦", "１２３４５６"):
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 400 and "không đúng" in response.content.decode()
