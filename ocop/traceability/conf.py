"""Settings of the stamp hot path, read once (a missing setting costs an exception on every access) and
re-read when a test changes one (``setting_changed``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed

from . import signals

PROBE_LIMIT = 30  # unknown codes per source and window


@dataclass(frozen=True, slots=True)
class Conf:
    scans_sync: bool
    reader_connection: bool
    prepared_lookup: bool
    max_clients: int
    probe_limit: int
    repeat_limit: int
    spool_dir: str


@cache
def conf() -> Conf:
    sync = getattr(settings, "STAMP_SCANS_SYNC", None)
    if sync is None:
        # Under Django's test environment (setup_test_environment creates mail.outbox) no writer thread
        # should outlive a test's database: write each scan before answering.
        from django.core import mail

        sync = hasattr(mail, "outbox")
    return Conf(
        scans_sync=bool(sync),
        reader_connection=bool(getattr(settings, "STAMP_READER_CONNECTION", True)),
        prepared_lookup=bool(getattr(settings, "STAMP_PREPARED_LOOKUP", True)),
        max_clients=int(getattr(settings, "STAMP_MAX_CLIENTS", signals.MAX_CLIENTS)),
        probe_limit=int(getattr(settings, "STAMP_PROBE_LIMIT", PROBE_LIMIT)),
        repeat_limit=int(getattr(settings, "STAMP_REPEAT_LIMIT", signals.REPEAT_LIMIT)),
        spool_dir=str(getattr(settings, "STAMP_SPOOL_DIR", "") or Path(settings.VAR_DIR) / "scan-spool"),
    )


def _changed(setting: str, **kwargs) -> None:
    if setting.startswith("STAMP_"):
        conf.cache_clear()


setting_changed.connect(_changed)
