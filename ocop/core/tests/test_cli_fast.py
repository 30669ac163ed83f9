"""`ocop stats` skips Django's system checks (half its start-up); other commands keep them."""

from __future__ import annotations

import django.core.management

from ocop import cli


def test_stats_skips_checks_others_keep_them(monkeypatch):
    seen = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", seen.append)
    cli.main(["stats", "--province", "Hà Nội"])
    cli.main(["import-products", "x.csv"])
    cli.main(["stats", "--skip-checks", "--province", "Hà Nội"])
    assert seen[0] == ["ocop", "stats", "--province", "Hà Nội", "--skip-checks"]
    assert seen[1] == ["ocop", "import_products", "x.csv"]
    assert seen[2].count("--skip-checks") == 1
