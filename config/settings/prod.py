"""Production settings: what `ocop serve` and `make run` use. Security flags come from the environment."""

from .base import *  # noqa: F403

# PostgreSQL: a psycopg connection pool per server process (Django 5.2) instead of one connection per
# thread kept CONN_MAX_AGE seconds. Size it to the threads of a worker (`ocop serve --threads`, default 4);
# OCOP_DB_POOL=0 turns it off (e.g. behind PgBouncer in transaction mode). Tests use config.settings.test.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("OCOP_DB_POOL", True):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 — pooling replaces persistent connections
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": int(os.environ.get("OCOP_DB_POOL_MIN", "1")),  # noqa: F405
        "max_size": int(os.environ.get("OCOP_DB_POOL_MAX", os.environ.get("OCOP_THREADS", "4"))),  # noqa: F405
        "timeout": 10,
    }

# A streaming read replica (docs/deployment.md): portal listing and reference-data reads go there.
if os.environ.get("DATABASE_REPLICA_URL"):  # noqa: F405
    DATABASES["replica"] = {  # noqa: F405
        **DATABASES["default"],  # noqa: F405
        **dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_health_checks=True),  # noqa: F405
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),  # noqa: F405
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
