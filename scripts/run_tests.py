"""Run the whole test suite twice: on SQLite (with the browser tests), then on a throwaway PostgreSQL 15.

    .venv/bin/python scripts/run_tests.py [--only sqlite|postgres] [--no-xdist] [pytest args …]

`make test` calls this. The exit code is non-zero when either run fails (or runs no test at all).
Each run writes a JUnit XML report, from which the closing summary is counted.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pg_cluster import PostgresError, TempPostgres  # noqa: E402

# A whole run longer than this is stuck (a hung browser or server): stop it rather than eat CI's 90 min.
RUN_TIMEOUT = int(os.environ.get("OCOP_TEST_RUN_TIMEOUT", "2400"))
KINDS = ("passed", "failed", "errors", "skipped")


@dataclass
class RunResult:
    name: str
    returncode: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.counts["failed"] == 0 and self.counts["errors"] == 0

    def line(self) -> str:
        c = self.counts
        status = "OK" if self.ok else "THẤT BẠI"
        extra = f" — {self.note}" if self.note else ""
        return (
            f"{self.name:<11} {status:<9} {c['passed']} passed, {c['failed']} failed, {c['errors']} errors, "
            f"{c['skipped']} skipped in {self.seconds:.1f}s (pytest exit {self.returncode}){extra}"
        )


def count_junit(path: Path) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    if not path.exists():
        return counts
    root = ET.parse(path).getroot()  # noqa: S314 - our own pytest report
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    for suite in suites:
        tests = int(suite.get("tests", 0))
        failures = int(suite.get("failures", 0))
        errors = int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        counts["failed"] += failures
        counts["errors"] += errors
        counts["skipped"] += skipped
        counts["passed"] += max(0, tests - failures - errors - skipped)
    return counts


def run_pytest(name: str, pytest_args: list[str], env: dict[str, str], report_dir: Path) -> RunResult:
    report = report_dir / f"junit-{name}.xml"
    cmd = [sys.executable, "-m", "pytest", *pytest_args, f"--junitxml={report}", "-o", "junit_family=xunit2"]
    print(f"\n===== {name}: {' '.join(cmd[1:])}", flush=True)
    result = RunResult(name)
    started = time.monotonic()
    # Its own session, so that a timeout can stop pytest and everything it started (servers, browsers).
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        result.returncode = proc.wait(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        result.note = f"quá thời gian {RUN_TIMEOUT}s, đã dừng"
        stop_group(proc)
        result.returncode = 124
    except BaseException:  # Ctrl-C / SIGTERM: stop pytest too, then let the caller clean up
        stop_group(proc)
        raise
    result.seconds = time.monotonic() - started
    result.counts = count_junit(report)
    if result.returncode == 5:
        result.note = "không có test nào được chạy"
    elif result.returncode not in (0, 1) and not result.note:
        result.note = "pytest dừng bất thường"
    return result


def stop_group(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def raise_on_sigterm(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="chỉ chạy một trong hai lượt")
    parser.add_argument("--no-xdist", action="store_true", help="không dùng pytest-xdist (-n 2)")
    parser.add_argument("-n", "--workers", default=os.environ.get("OCOP_TEST_WORKERS", "2"))
    args, extra = parser.parse_known_args(argv)
    signal.signal(signal.SIGTERM, raise_on_sigterm)

    base_env = dict(os.environ)
    base_env.setdefault("OCOP_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdefghij")
    base_env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    base_env["PYTHONDONTWRITEBYTECODE"] = "1"
    base_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # only the browser fixtures set it, inside pytest

    common = ["-ra", "-q"]
    if not args.no_xdist and args.workers not in ("0", "1"):
        common += ["-n", args.workers, "--dist", "load"]

    results: list[RunResult] = []
    with tempfile.TemporaryDirectory(prefix="ocop-tests-") as tmp:
        tmpdir = Path(tmp)
        (ROOT / "test-artifacts").mkdir(exist_ok=True)

        if args.only in (None, "sqlite"):
            env = dict(base_env, DATABASE_URL=f"sqlite:///{tmpdir / 'ocop-test.sqlite3'}")
            results.append(run_pytest("sqlite", [*common, *extra], env, tmpdir))

        if args.only in (None, "postgres"):
            started = time.monotonic()
            try:
                with TempPostgres() as pg:
                    env = dict(base_env, DATABASE_URL=pg.url)
                    result = run_pytest("postgresql", [*common, "-m", "not browser", *extra], env, tmpdir)
                    if result.returncode not in (0, 1):  # a crash, not a failing test
                        log = pg.server_log().strip()
                        if log:
                            print(f"--- cuối nhật ký PostgreSQL ---\n{log}", flush=True)
                    results.append(result)
            except PostgresError as exc:
                print(f"\nKhông khởi động được PostgreSQL: {exc}", file=sys.stderr, flush=True)
                elapsed = time.monotonic() - started
                results.append(RunResult("postgresql", returncode=3, seconds=elapsed, note=str(exc)[:200]))

    print("\n===== Tổng kết", flush=True)
    for result in results:
        print(result.line())
    total = {key: sum(r.counts[key] for r in results) for key in KINDS}
    ok = bool(results) and all(r.ok for r in results)
    print(f"Kết quả: {'THÀNH CÔNG' if ok else 'THẤT BẠI'}")
    # Plain closing line, counted the same way in any language.
    failed = total["failed"] + total["errors"]
    print(f"total: {total['passed']} passed, {failed} failed, {total['skipped']} skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("\nĐã dừng (Ctrl-C).", file=sys.stderr)
        sys.exit(130)
