"""Read replica routing: configured by DATABASE_REPLICA_URL in production settings, portal reads only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from config import db_router
from ocop.portal.models import Feedback, PortalListing
from ocop.products.models import Product

ROOT = Path(__file__).resolve().parents[3]


def test_router_sends_portal_reads_to_the_replica_only_when_configured(monkeypatch):
    router = db_router.ReplicaRouter()
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    assert router.db_for_read(PortalListing) == "replica"
    assert router.db_for_read(Product) is None and router.db_for_read(Feedback) is None
    assert router.db_for_write(PortalListing) == "default"
    assert router.allow_migrate("replica", "portal") is False and router.allow_migrate("default", "portal")
    monkeypatch.setattr(db_router, "replica_configured", lambda: False)
    assert router.db_for_read(PortalListing) is None


def test_production_settings_add_the_replica_and_the_pool():
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'dbs': sorted(settings.DATABASES), 'routers': settings.DATABASE_ROUTERS, "
        "'pool': settings.DATABASES['default'].get('OPTIONS', {}).get('pool'), "
        "'host': settings.DATABASES.get('replica', {}).get('HOST')}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DATABASE_URL": "postgres://ocop@primary.example:5432/ocop",
        "DATABASE_REPLICA_URL": "postgres://ocop@replica.example:5432/ocop",
        "OCOP_DB_POOL": "1",
        "OCOP_THREADS": "4",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["dbs"] == ["default", "replica"]
    assert found["routers"] == ["config.db_router.ReplicaRouter"]
    assert found["host"] == "replica.example"
    assert found["pool"]["max_size"] == 8  # the worker's threads + room for background threads
