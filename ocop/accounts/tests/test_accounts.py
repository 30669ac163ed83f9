from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ocop.core.models import AuditLog
from ocop.testing import PASSWORD

User = get_user_model()


def test_production_passwords_are_hashed_with_argon2():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    encoded = Argon2PasswordHasher().encode("Mat-khau-dai-2026", "somesaltvalue123")
    assert encoded.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_login_is_audited_and_throttled(client, world, settings):
    settings.LOGIN_THROTTLE_LIMIT = 3
    url = reverse("accounts:login")
    for _ in range(3):
        response = client.post(url, {"username": "tinh-thainguyen", "password": "sai-mat-khau"})
        assert "không đúng" in response.content.decode()
    response = client.post(url, {"username": "tinh-thainguyen", "password": PASSWORD})
    assert "quá nhiều lần" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert AuditLog.objects.filter(action="login_failed", username="tinh-thainguyen").count() == 3


@pytest.mark.django_db
def test_successful_login_is_audited(client, world):
    response = client.post(reverse("accounts:login"), {"username": "htx-nammau", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="login", username="htx-nammau").exists()


@pytest.mark.django_db
def test_session_cookie_is_httponly_and_expires(client, world, settings):
    client.post(reverse("accounts:login"), {"username": "htx-nammau", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


@pytest.mark.django_db
def test_admin_creates_commune_officer_from_typed_unit(client, world):
    client.force_login(world.users.admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "xa-chora",
            "full_name": "Cán bộ xã",
            "role": "commune_officer",
            "province": world.places.bac_kan.pk,
            "unit_name": "TT. Chợ Rã",
            "password": "Mot-mat-khau-dai-2026",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    account = User.objects.get(username="xa-chora")
    assert account.unit == world.places.cho_ra
    assert account.check_password("Mot-mat-khau-dai-2026")
    assert AuditLog.objects.filter(
        model_label="accounts.user", object_pk=str(account.pk), action="create"
    ).exists()


@pytest.mark.django_db
def test_unknown_unit_and_weak_password_are_explained(client, world):
    client.force_login(world.users.admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "xa-x",
            "role": "commune_officer",
            "province": world.places.bac_kan.pk,
            "unit_name": "Xã Bằng Thàn",
            "password": "123",
            "is_active": "on",
        },
    )
    page = response.content.decode()
    assert "Không tìm thấy" in page and "Bằng Thành" in page
    assert "Mật khẩu này quá ngắn: cần ít nhất 10 ký tự." in page
    assert not User.objects.filter(username="xa-x").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["province", "district", "commune", "council", "producer"])
def test_only_admin_manages_users(client, world, role):
    client.force_login(getattr(world.users, role))
    assert client.get(reverse("accounts:user_list")).status_code == 404
    assert client.get(reverse("accounts:user_edit", args=[world.users.admin.pk])).status_code == 404
