"""Production settings: what `ocop serve` and `make run` use. Security flags come from the environment."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import DATABASES, env_bool

# PostgreSQL: an optional psycopg connection pool per server process (Django 5.2), OCOP_DB_POOL=1. Off by
# default: a pooled connection is only returned when its thread closes it, and long-lived background
# threads (the stamp scan log flusher) keep theirs, so the pool must be larger than the request threads
# (max_size = threads + OCOP_DB_POOL_EXTRA, default 4). Without it each thread keeps its own persistent
# connection (CONN_MAX_AGE), which is what the benchmarks measured; PgBouncer is the alternative.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("OCOP_DB_POOL", False):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # pooling replaces persistent connections
    _room = int(os.environ.get("OCOP_THREADS", "4")) + int(os.environ.get("OCOP_DB_POOL_EXTRA", "4"))
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("OCOP_DB_POOL_MIN", "1")),
        "max_size": int(os.environ.get("OCOP_DB_POOL_MAX", str(_room))),
        "timeout": 10,
    }

# A streaming read replica (docs/deployment.md): portal listing and reference-data reads go there.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **DATABASES["default"],
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_health_checks=True),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
