"""schemathesis with every check (`st run --checks all`) against a live server (issue 18): no server error,
no answer outside the schema, every error documented, schema-valid requests accepted and invalid ones
refused. The same run a reviewer makes by hand on `ocop serve`, bounded: a few examples per operation and
a fixed seed, with an admin's token (the widest scope) — public operations are called the same way."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ocop.accounts import twofactor
from ocop.certification.services.events import event_record

ST = shutil.which("st", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(ST is None, reason="schemathesis CLI (st) not installed")
@pytest.mark.django_db(transaction=True)
def test_schemathesis_all_checks_on_a_live_server(live_server, world, settings, tmp_path):
    for product in (world.products.mien, world.products.che):
        event_record(product=product, stars=4, decision_date=dt.date(2025, 3, 1), decision_number="9/QĐ")
    _row, token = twofactor.token_create(user=world.users.admin, name="schemathesis")
    run = subprocess.run(
        [
            ST,
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--checks",
            "all",
            "-H",
            f"Authorization: Bearer {token}",
            "--max-examples",
            "5",
            "--seed",
            "18",
            "--workers",
            "1",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=500,
        cwd=tmp_path,  # schemathesis writes its example database here
    )
    tail = run.stdout[-6000:]
    assert run.returncode == 0, tail
    assert "failures" not in tail.splitlines()[-1], tail
