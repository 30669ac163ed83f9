"""A throwaway PostgreSQL 15 cluster for the test suite.

    with TempPostgres() as pg:
        os.environ["DATABASE_URL"] = pg.url   # postgres://USER@127.0.0.1:PORT/postgres

The cluster lives in a fresh temp dir, listens on 127.0.0.1 on a free port (and a Unix socket in the
temp dir), trusts every local connection, and is tuned for speed, not durability (fsync off).
PostgreSQL refuses to run as root, so as root the server runs as an unprivileged system user
(`ocoptest`, created when missing; `nobody` as a fallback). On exit — normal, exception or Ctrl-C —
the server is stopped and the temp dir deleted.

Run on its own (`python scripts/pg_cluster.py`) it starts a cluster, prints its URL and waits for Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_VERSION = "15"
EXTENSIONS = ("pg_trgm", "unaccent")
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
    "shared_buffers": "128MB",
    "max_wal_size": "1GB",
    "log_min_messages": "warning",
}


class PostgresError(RuntimeError):
    pass


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL server program: Debian's versioned dir first, then PATH."""
    candidate = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin") / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise PostgresError(f"không tìm thấy {name} (PostgreSQL {PG_VERSION}); chạy scripts/ensure_postgres.sh")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_run_user() -> str:
    """The user the server runs as: the current one, or an unprivileged one when we are root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    name = "ocoptest"
    try:
        pwd.getpwnam(name)
        return name
    except KeyError:
        pass
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    result = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
    )
    if result.returncode == 0:
        return name
    print(f"pg_cluster: useradd {name} thất bại ({result.stderr.strip()}); dùng 'nobody'", file=sys.stderr)
    return "nobody"


class TempPostgres:
    def __init__(self, *, quiet: bool = False):
        self.quiet = quiet
        self.user = ensure_run_user()
        self.as_other_user = os.geteuid() == 0
        self.port = 0
        self.tmpdir: Path | None = None
        self.datadir: Path | None = None
        self.started = False

    # -- helpers ---------------------------------------------------------------------------------------
    def _cmd(self, argv: list[str]) -> list[str]:
        if self.as_other_user:
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            return [runuser, "-u", self.user, "--", *argv]
        return argv

    def _run(self, argv: list[str], **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            self._cmd(argv),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            cwd=self.tmpdir,
            start_new_session=True,  # Ctrl-C in the terminal must not reach the server directly
            **kwargs,
        )

    def _log(self, message: str) -> None:
        if not self.quiet:
            print(f"pg_cluster: {message}", flush=True)

    @property
    def url(self) -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/postgres"

    # -- lifecycle -------------------------------------------------------------------------------------
    def start(self) -> TempPostgres:
        self.tmpdir = Path(tempfile.mkdtemp(prefix="ocop-pg-"))
        self.datadir = self.tmpdir / "data"
        if self.as_other_user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.tmpdir, entry.pw_uid, entry.pw_gid)
        os.chmod(self.tmpdir, 0o700)

        initdb = self._run(
            [
                pg_bin("initdb"),
                "-D", str(self.datadir),
                "-U", self.user,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )  # fmt: skip
        if initdb.returncode != 0:
            raise PostgresError(f"initdb thất bại:\n{initdb.stdout}\n{initdb.stderr}")

        last_error = ""
        for _attempt in range(3):  # a free port can be taken between our check and the server's bind
            self.port = free_port()
            options = [
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-k {self.tmpdir}",
                *(f"-c {key}={value}" for key, value in FAST_SETTINGS.items()),
            ]
            started = self._run(
                [
                    pg_bin("pg_ctl"),
                    "-D", str(self.datadir),
                    "-l", str(self.tmpdir / "server.log"),
                    "-o", " ".join(options),
                    "-w", "-t", "60",
                    "start",
                ]
            )  # fmt: skip
            if started.returncode == 0:
                self.started = True
                break
            last_error = f"{started.stdout}\n{started.stderr}\n{self.server_log()}"
        else:
            raise PostgresError(f"pg_ctl start thất bại:\n{last_error}")

        self._wait_ready()
        self._create_extensions()
        self._log(f"PostgreSQL {PG_VERSION} chạy tại {self.url} (thư mục {self.tmpdir}, user {self.user})")
        return self

    def server_log(self) -> str:
        if self.tmpdir is None:
            return ""
        log = self.tmpdir / "server.log"
        try:
            return log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def _connect(self, dbname: str):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.user,
            dbname=dbname,
            autocommit=True,
            connect_timeout=5,
        )

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                with self._connect("postgres") as conn:
                    conn.execute("SELECT 1")
                return
            except Exception as exc:
                if time.monotonic() > deadline:
                    raise PostgresError(f"PostgreSQL không sẵn sàng: {exc}\n{self.server_log()}") from exc
                time.sleep(0.2)

    def _create_extensions(self) -> None:
        """Extensions in template1 are inherited by every database created later (test_… included)."""
        for dbname in ("template1", "postgres"):
            with self._connect(dbname) as conn:
                for ext in EXTENSIONS:
                    try:
                        conn.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
                    except Exception as exc:  # contrib missing: later features' tests will say so
                        self._log(f"cảnh báo: không tạo được extension {ext} trong {dbname}: {exc}")

    def stop(self) -> None:
        try:
            if self.started and self.datadir is not None:
                pg_ctl = pg_bin("pg_ctl")
                result = self._run([pg_ctl, "-D", str(self.datadir), "-m", "immediate", "-w", "stop"])
                if result.returncode != 0:
                    self._kill_postmaster()
                self.started = False
        finally:
            if self.tmpdir is not None:
                shutil.rmtree(self.tmpdir, ignore_errors=True)
                self._log(f"đã dừng PostgreSQL và xoá {self.tmpdir}")
                self.tmpdir = None

    def _kill_postmaster(self) -> None:
        pidfile = self.datadir / "postmaster.pid" if self.datadir else None
        if pidfile is None or not pidfile.exists():
            return
        try:
            pid = int(pidfile.read_text().splitlines()[0])
            os.kill(pid, signal.SIGQUIT)
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            pass

    def __enter__(self) -> TempPostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    with TempPostgres() as pg:
        print(f"DATABASE_URL={pg.url}")
        print("Ctrl+C để dừng.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
