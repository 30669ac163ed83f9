"""mypy for `make lint`: strict modules must be clean; the others may only keep the errors in the baseline.

    python scripts/mypy_check.py            check (exit 1 on a new error, or on a fixed one still listed)
    python scripts/mypy_check.py --update   rewrite the baseline after fixing errors (it may only shrink)
    python scripts/mypy_check.py --merged   after merging branches written in parallel: errors may move
                                            between loose modules, the baseline is rewritten when its
                                            total does not grow (strict modules must still be clean)

The strict modules are those of the first ``[[tool.mypy.overrides]]`` of pyproject.toml (services, selectors,
the pure domain rules). An error is compared without its line number ("file: message [code]"), so editing a
file does not disturb the baseline; the same message twice in a file counts twice.
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*)$")
HEADER = (
    "# mypy errors accepted in non-strict modules (scripts/mypy_check.py). This list may only shrink:\n"
    "# fix an error, then run `.venv/bin/python scripts/mypy_check.py --update`.\n"
)


def strict_patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["mypy"]["overrides"][0]["module"])


def relaxed_modules() -> set[str]:
    """Modules a later override takes out of the strict list (``disallow_untyped_defs = false``)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    overrides = config["tool"]["mypy"]["overrides"][1:]
    return {m for o in overrides if o.get("disallow_untyped_defs") is False for m in o["module"]}


def module_of(path: str) -> str:
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_strict(path: str, patterns: list[str]) -> bool:
    module = module_of(path)
    if module in relaxed_modules():
        return False
    return any(fnmatch.fnmatchcase(module, pattern) for pattern in patterns)


def current_errors() -> Counter[str]:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context", "--no-pretty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 1) or "error: " not in run.stdout and run.returncode:
        sys.stderr.write(run.stdout + run.stderr)
        raise SystemExit(f"mypy did not run (exit {run.returncode})")
    errors: Counter[str] = Counter()
    for line in run.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            errors[f"{match['path']}: {match['message'].strip()}"] += 1
    return errors


def read_baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line and not line.startswith("#"))


def write_baseline(errors: Counter[str]) -> None:
    body = "".join(f"{line}\n" for line in sorted(errors.elements()))
    BASELINE.write_text(HEADER + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--update", action="store_true", help="rewrite the baseline (it may only shrink)")
    parser.add_argument(
        "--merged", action="store_true", help="rewrite the baseline unless its total grows (after a merge)"
    )
    args = parser.parse_args(argv)
    patterns = strict_patterns()
    current = current_errors()
    baseline = read_baseline()
    strict = sorted(e for e in current.elements() if is_strict(e.split(": ", 1)[0], patterns))
    loose = Counter({e: n for e, n in current.items() if not is_strict(e.split(": ", 1)[0], patterns)})
    new = loose - baseline
    fixed = baseline - loose
    if strict:
        print("mypy (strict module: fix it, the baseline does not cover these):")
        print("\n".join(f"  {e}" for e in strict))
    if new:
        print("mypy: new errors (fix them; the baseline only shrinks):")
        print("\n".join(f"  {e}" for e in sorted(new.elements())))
    if args.merged:
        if strict or sum(loose.values()) > sum(baseline.values()):
            print("mypy: the merge adds errors overall; fix them first.")
            return 1
        write_baseline(loose)
        print(f"mypy baseline: {sum(loose.values())} errors (was {sum(baseline.values())}).")
        return 0
    if args.update:
        if new or strict:
            return 1
        write_baseline(loose)
        print(f"mypy baseline: {sum(loose.values())} errors ({sum(fixed.values())} fewer).")
        return 0
    if fixed:
        print(f"mypy: {sum(fixed.values())} baseline errors are fixed; shrink the baseline:")
        print("\n".join(f"  {e}" for e in sorted(fixed.elements())))
        print("  run: .venv/bin/python scripts/mypy_check.py --update")
    if strict or new or fixed:
        return 1
    print(f"mypy: strict modules clean; {sum(loose.values())} baseline errors elsewhere, none new.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
