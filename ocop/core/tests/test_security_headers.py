"""Security headers on pages and API answers, and `check --deploy` in production settings (issue 10)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CSP_REQUIRED = [
    "default-src 'self'",
    "style-src 'self'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]


def _assert_hardened(response):
    csp = response["Content-Security-Policy"]
    for directive in CSP_REQUIRED:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "geolocation=(self)" in response["Permissions-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/tai-khoan/dang-nhap/", "/api/v1/products", "/khong-co-trang-nay/"])
def test_public_pages_carry_security_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    _assert_hardened(response)


@pytest.mark.django_db
def test_signed_in_pages_are_not_cached(client, world):
    client.force_login(world.users.admin)
    response = client.get("/quan-ly/")
    assert response.status_code == 200
    _assert_hardened(response)
    assert "no-store" in response["Cache-Control"]


def test_hsts_and_secure_cookies_over_https(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/tai-khoan/dang-nhap/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


@pytest.mark.django_db
def test_templates_have_no_inline_styles_or_scripts():
    """The CSP forbids them: any inline style=/<style>/<script> without src in templates breaks a page."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\sstyle=|<style", text):
            offenders.append(f"{path}: style")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", text):
            offenders.append(f"{path}: {match.group(0)}")
    assert offenders == []


def test_check_deploy_is_clean_with_production_settings():
    # pytest-playwright sets DJANGO_ALLOW_ASYNC_UNSAFE for the test process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "OCOP_SECRET_KEY": "k" * 20 + "Zq8#pW2!vL5@xR9$mN3%" + "t" * 20,
        "OCOP_HTTPS": "1",
        "OCOP_ALLOWED_HOSTS": "ocop.example.gov.vn",
        "OCOP_DEBUG": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_search_is_rate_limited_per_address(client, settings):
    settings.OCOP_RATE_LIMITS = {"/tim-kiem/": (3, 60), "/api/v1/products": (2, 60)}
    assert [client.get("/tim-kiem/", {"q": "mien"}).status_code for _ in range(4)] == [200, 200, 200, 429]
    api = [client.get("/api/v1/products").status_code for _ in range(3)]
    assert api == [200, 200, 429]
    limited = client.get("/api/v1/products")
    assert limited.json()["code"] == "rate_limited" and limited["Retry-After"] == "60"
    other = client.get("/tim-kiem/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another address has its own count


def test_logs_mask_phone_id_numbers_and_emails():
    import logging

    from ocop.core.security import PersonalDataFormatter

    record = logging.LogRecord(
        "ocop", logging.WARNING, __file__, 1, "Gọi %s, CCCD %s, thư %s, năm %s", None, None
    )
    record.args = ("0912 345 678", "006123456789", "men.nguyen@example.vn", 2026)
    text = PersonalDataFormatter().format(record)
    assert "0912" not in text and "006123456" not in text and "men.nguyen" not in text
    assert text.endswith("năm 2026") and "678" in text and "@example.vn" in text
