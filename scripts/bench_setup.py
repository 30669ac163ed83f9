"""What the benchmarks that build their own database share: a work directory, an empty database (a new SQLite
file, or a throw-away PostgreSQL 15 cluster from scripts/pg_cluster.py) and the production settings'
environment pointing at both. Imported by the bench scripts (run as `python scripts/bench_….py`, so this
folder is on the path)."""

from __future__ import annotations

import os
import tempfile
from contextlib import ExitStack
from pathlib import Path


def bench_workdir(stack: ExitStack, *, keep: str | None, prefix: str) -> Path:
    """``keep`` (created if needed, left behind), else a temporary directory removed with ``stack``."""
    if keep:
        workdir = Path(keep)
        workdir.mkdir(parents=True, exist_ok=True)
        return workdir
    return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))


def empty_database_url(stack: ExitStack, workdir: Path, *, postgres: bool) -> str:
    """The URL of an empty database: a PostgreSQL cluster stopped with ``stack``, or ``workdir/db.sqlite3``
    (any earlier copy removed)."""
    if postgres:
        from pg_cluster import TempPostgres

        return stack.enter_context(TempPostgres(quiet=True)).url
    db = workdir / "db.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{db}"


def production_env(url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """This process's environment with the production settings on ``url``, files under ``workdir``."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "OCOP_VAR_DIR": str(workdir / "var"),
        "OCOP_STATIC_ROOT": str(workdir / "static"),
        **extra,
    }
