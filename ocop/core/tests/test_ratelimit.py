"""Rate limits live in the shared cache: they hold across worker processes (issue 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from ocop.core import ratelimit

ROOT = Path(__file__).resolve().parents[3]


def test_hit_allows_up_to_the_limit_then_refuses():
    key = "test:hit:limit"
    assert [ratelimit.hit(key, 3, 60) for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.hit("test:hit:other-key", 3, 60) is True


def test_zero_limit_always_refuses():
    assert ratelimit.hit("test:hit:zero", 0, 60) is False


def test_deployed_settings_use_the_database_cache():
    """Per-process memory would let each gunicorn worker count on its own."""
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.prod", "OCOP_SECRET_KEY": "x" * 60}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["BACKEND"]  # the test settings may use memory; production may not


WORKER = """
import django, sys
django.setup()
from ocop.core.ratelimit import hit
allowed = sum(hit("shared-key", 10, 3600) for _ in range(int(sys.argv[1])))
print(allowed)
"""


def test_limit_holds_across_processes(tmp_path):
    """Three processes (like three gunicorn workers) share one database cache: 10 of 120 hits pass."""
    db = tmp_path / "rl.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "OCOP_SECRET_KEY": "y" * 60,
        "DATABASE_URL": f"sqlite:///{db}",
    }
    setup = "import django; django.setup(); from django.core.management import call_command; "
    subprocess.run(
        [sys.executable, "-c", setup + "call_command('createcachetable')"], cwd=ROOT, env=env, check=True
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, "40"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    counts = [int(p.communicate(timeout=60)[0].strip()) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(counts) == 10


def test_a_counter_adds_gives_back_and_never_goes_below_zero(monkeypatch):
    key = "test:counter"
    assert [ratelimit.add(key, 1, 60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.add(key, -1, 60) == 2
    now = ratelimit.time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 30)
    assert ratelimit.add(key, 1, 60) == 3  # a later event does not extend the window
    ratelimit.clear(key)
    assert ratelimit.add(key, 1, 60) == 1
    assert ratelimit.add(key, -5, 60) == 0  # never below zero
