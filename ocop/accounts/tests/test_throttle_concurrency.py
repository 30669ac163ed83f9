"""The login throttle under real concurrency (issue 18): 40 simultaneous wrong passwords for one account, from
four processes of eight threads sharing the test database and its database cache, get exactly
LOGIN_THROTTLE_LIMIT passwords checked — the probe found 11 checked of 40 with a check-then-count throttle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ocop.accounts.roles import Role
from ocop.core.models import AuditLog
from ocop.testing import database_url, make_user

ROOT = Path(__file__).resolve().parents[3]
PROCESSES, THREADS = 5, 8

WORKER = """
import json, sys, threading, django
django.setup()
from django.db import connection
from django.test import RequestFactory
from ocop.accounts.forms import ThrottledLoginForm

barrier = threading.Barrier(int(sys.argv[2]))
outcomes = []

def one():
    request = RequestFactory().post("/tai-khoan/dang-nhap/", REMOTE_ADDR="203.0.113.7")
    barrier.wait()
    form = ThrottledLoginForm(request, data={"username": sys.argv[1], "password": "sai-mat-khau-1"})
    form.is_valid()
    codes = [e.code for e in form.errors.as_data().get("__all__", [])]
    outcomes.append(codes[0] if codes else "ok")
    connection.close()

threads = [threading.Thread(target=one) for _ in range(int(sys.argv[2]))]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps(outcomes))
"""


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_get_exactly_the_limit_checked(places):
    user = make_user(Role.PROVINCE_OFFICER, unit=places.bac_kan, username="bi-tan-cong")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "OCOP_SECRET_KEY": "c" * 60,
        "DATABASE_URL": database_url(),
        "OCOP_LOGIN_THROTTLE_LIMIT": "5",
        "OCOP_DB_CONN_MAX_AGE": "0",
    }
    subprocess.run(
        [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, timeout=120
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, user.username, str(THREADS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    outcomes: list[str] = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        outcomes += json.loads(out.strip().splitlines()[-1])
    assert len(outcomes) == PROCESSES * THREADS == 40
    assert outcomes.count("invalid_login") == 5, outcomes
    assert outcomes.count("throttled") == 35
    assert AuditLog.objects.filter(action="login_failed", username=user.username).count() == 5
