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


def test_django_setup_does_not_import_the_api_stack():
    """ninja and pydantic come with the URLconf, not with django.setup(): `ocop stats` never needs them."""
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); "
        "print(sorted(m for m in ('ninja', 'pydantic', 'reportlab', 'openpyxl', 'docx') if m in sys.modules))"
    )
    done = subprocess.run(  # noqa: S603 — a fixed command line
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
