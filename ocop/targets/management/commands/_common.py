"""Shared parsing for the `stats` and `targets` commands."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.management.base import CommandError

from ocop.geography.lookup_errors import UnitLookupError

# Audit rows written from the command line name this actor.
CLI_ACTOR = SimpleNamespace(pk=None, username="ocop-cli", is_authenticated=False)


def parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise CommandError(
            f"{option}: ngày “{text}” không hợp lệ, cần dạng YYYY-MM-DD (ví dụ 2025-12-31)."
        ) from None


def resolve_province(text: str, *, on_date: dt.date, generation: str | None = None):
    from ocop.targets.selectors import province_resolve

    try:
        return province_resolve(text, on_date=on_date, generation=generation)
    except UnitLookupError as error:
        raise CommandError(f"--province: {error.message}") from None
