"""The benchmark scripts import the project's code lazily (inside functions, after django.setup()), so a
renamed or moved function only shows when `make bench` runs — rarely, on a quiet machine. Check every
`from ocop… import name` they contain against the code as it is now."""

import ast
import importlib
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"


def project_imports(path: Path) -> list[tuple[int, str, str]]:
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ocop":
            found.extend((node.lineno, node.module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names if alias.name.startswith("ocop.")]
            found.extend((node.lineno, module, "") for module in modules)
    return found


@pytest.mark.parametrize("script", sorted(SCRIPTS.glob("bench*.py")), ids=lambda path: path.name)
def test_bench_script_imports_exist(script):
    missing = []
    for lineno, module_name, name in project_imports(script):
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            missing.append(f"{script.name}:{lineno}: {module_name} ({error})")
            continue
        if name and not hasattr(module, name):
            try:
                importlib.import_module(f"{module_name}.{name}")
            except ImportError:
                missing.append(f"{script.name}:{lineno}: {module_name} has no {name}")
    assert not missing, "\n".join(missing)
