"""The import-linter contracts of pyproject.toml (run by `make lint`) hold, and break on a wrong import.

Each wrong import is written into a copy of the code in a temporary folder, and lint-imports runs on that
copy with the project's own configuration: the contracts must then fail and name the offending import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy's ocop package first, not the installed one
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "ocop",
        tmp_path / "ocop",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_every_contract():
    run = _lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import", "broken"),
    [
        # core is the bottom layer: it imports no app.
        (
            "core/wrong.py",
            "from ocop.producers.models import Entity",
            "ocop.core.wrong -> ocop.producers.models",
        ),
        # a domain app never imports the public side or the API.
        (
            "products/wrong.py",
            "from ocop.portal.models import PortalListing",
            "ocop.products.wrong -> ocop.portal.models",
        ),
        ("certification/wrong.py", "from ocop.api import urls", "ocop.certification.wrong -> ocop.api.urls"),
        # the portal reads domain data through selectors, never through a domain model or service.
        (
            "portal/wrong.py",
            "from ocop.products.models import Product",
            "ocop.portal.wrong -> ocop.products.models",
        ),
        (
            "portal/wrong.py",
            "from ocop.producers import services",
            "ocop.portal.wrong -> ocop.producers.services",
        ),
    ],
)
def test_a_wrong_import_breaks_the_contracts(copy: Path, module: str, wrong_import: str, broken: str):
    (copy / "ocop" / module).write_text(f"{wrong_import}\n", encoding="utf-8")
    run = _lint_imports(copy)
    assert run.returncode != 0
    assert "BROKEN" in run.stdout
    assert broken in run.stdout, run.stdout


def test_a_selector_import_from_the_portal_is_allowed(copy: Path):
    (copy / "ocop" / "portal" / "fine.py").write_text(
        "from ocop.products.selectors import current_groups\n", encoding="utf-8"
    )
    run = _lint_imports(copy)
    assert run.returncode == 0, run.stdout
