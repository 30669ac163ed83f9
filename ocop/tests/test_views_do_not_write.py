"""Views and API endpoints do not write: they validate input and call one service, which writes, audits and
runs in one transaction. This scan reads every view module (``views.py``, a ``views/`` package, ``api.py``)
of every app and fails on a direct ``.save()``, ``.create()``, ``.update()`` or ``.delete()`` call (and
their bulk and get-or-create forms)."""

from __future__ import annotations

import ast
from pathlib import Path

OCOP = Path(__file__).resolve().parents[1]
WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# path (relative to ocop/) → why its writes are still there. Each entry is work left, not a licence.
# View modules allowed to write, with the reason (none today: keep it that way).
KNOWN: dict[str, str] = {}


def view_modules() -> list[Path]:
    found = []
    for path in sorted(OCOP.rglob("*.py")):
        rel = path.relative_to(OCOP)
        if {"tests", "migrations"} & set(rel.parts):
            continue
        if path.name in {"views.py", "api.py"} or "views" in rel.parts[:-1]:
            found.append(path)
    return found


def write_calls(source: str) -> list[tuple[int, str]]:
    """(line, text) of every call of a write method in this source."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            calls.append((node.lineno, ast.unparse(node)[:120]))
    return calls


def test_scan_finds_every_kind_of_write():
    source = (
        "def view(request):\n"
        "    form.save()\n"
        "    Model.objects.create(name='x')\n"
        "    Model.objects.filter(pk=1).update(name='y')\n"
        "    obj.delete()\n"
        "    Model.objects.get_or_create(pk=1)\n"
        "    services.thing_save(user=request.user)\n"  # a service call is what a view should do
    )
    assert [line for line, _text in write_calls(source)] == [2, 3, 4, 5, 6]


def test_scan_reads_the_views_of_every_app():
    apps = {path.relative_to(OCOP).parts[0] for path in view_modules()}
    assert {"producers", "products", "evaluation", "portal", "privacy", "support", "workspace"} <= apps
    assert any(path.parent.name == "views" for path in view_modules())  # the evaluation/views/ package
    assert any(path.name == "api.py" for path in view_modules())


def test_no_view_or_endpoint_writes_itself():
    offenders = []
    for path in view_modules():
        rel = str(path.relative_to(OCOP))
        calls = write_calls(path.read_text(encoding="utf-8"))
        if calls and rel not in KNOWN:
            offenders += [f"ocop/{rel}:{line}: {text}" for line, text in calls]
    assert not offenders, "Views must call a service instead of writing:\n" + "\n".join(offenders)


def test_known_exceptions_still_exist():
    """An entry of KNOWN whose writes are gone must be removed, so the list only shrinks."""
    stale = [rel for rel in KNOWN if not write_calls((OCOP / rel).read_text(encoding="utf-8"))]
    assert not stale, f"No write left in {stale}: remove them from KNOWN."
