"""The `ocop` console script, run as a user would: in a subprocess, with production settings."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands

INIT_LOADERS = ("load_admin_units", "load_product_classifications", "load_criteria")


def ocop_executable() -> str:
    candidate = Path(sys.executable).with_name("ocop")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("ocop")
    if not found:
        pytest.fail("không tìm thấy lệnh `ocop`: chạy `make install`")
    return found


def cli_env(tmp_path: Path, db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)  # the CLI picks its own (production) settings
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        OCOP_VAR_DIR=str(tmp_path / "var"),
        OCOP_STATIC_ROOT=str(tmp_path / "static"),
        OCOP_MEDIA_ROOT=str(tmp_path / "media"),
        OCOP_SECRET_KEY="cli-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        OCOP_WORKERS="1",
        OCOP_THREADS="2",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def table_counts(db_path: Path) -> dict[str, int]:
    with sqlite3.connect(db_path) as conn:
        query = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        tables = [row[0] for row in conn.execute(query)]
        return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608 — table names read from sqlite_master of the test database


def run_cli(args: list[str], env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [ocop_executable(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    command = " ".join(args)
    assert result.returncode == 0, f"ocop {command} → {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def test_init_has_every_loader_it_runs():
    """`ocop init` runs these loaders; one missing is a broken install, not a test to skip."""
    missing = [name for name in INIT_LOADERS if name not in get_commands()]
    assert not missing, f"`ocop init` cần lệnh chưa có: {', '.join(missing)}"


def test_init_twice_changes_nothing(tmp_path):
    db_path = tmp_path / "ocop.sqlite3"
    env = cli_env(tmp_path, db_path)

    run_cli(["init"], env)
    first = table_counts(db_path)
    assert first.get("django_migrations", 0) > 0
    assert first.get("geography_adminunit", 0) > 0, "init phải nạp đơn vị hành chính"
    assert first.get("products_productgroup", 0) > 0, "init phải nạp nhóm sản phẩm"

    run_cli(["init"], env)
    second = table_counts(db_path)
    assert second == first


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_healthz(tmp_path):
    db_path = tmp_path / "ocop.sqlite3"
    env = cli_env(tmp_path, db_path)
    # Static files are gathered first so that the 20 s below measure the server's own start.
    run_cli(["collectstatic", "--noinput", "-v", "0"], env)
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [ocop_executable(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        body, last_error = None, None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = (response.status, response.read())
                    break
            except OSError as exc:
                last_error = exc
                time.sleep(0.25)
        log_text = log_path.read_text(errors="replace")
        assert proc.poll() is None, f"ocop serve đã thoát ({proc.returncode}):\n{log_text}"
        assert body == (200, b"ok"), f"/healthz không trả lời trong 20 s ({last_error}):\n{log_text}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=25)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
