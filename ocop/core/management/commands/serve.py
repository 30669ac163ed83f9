from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Chạy máy chủ web cho môi trường thật (gunicorn, nhiều tiến trình). Sẵn sàng khi /healthz trả về ok."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("OCOP_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("OCOP_THREADS", "4")))

    def handle(self, *args, **options):
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if not manifest.exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
        if gunicorn is None:
            self.stderr.write("Không tìm thấy gunicorn; hãy chạy `make install`.")
            sys.exit(1)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
        # The PostgreSQL pool of each worker is sized to its threads (config/settings/prod.py).
        os.environ["OCOP_THREADS"] = str(options["threads"])
        argv = [
            gunicorn,
            "config.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
            # Recycling a worker guards against slow leaks; too often (5,000 requests is seconds at full load)
            # and the restarts dominate the latency tail.
            "--max-requests",
            os.environ.get("OCOP_MAX_REQUESTS", "200000"),
            "--max-requests-jitter",
            os.environ.get("OCOP_MAX_REQUESTS_JITTER", "20000"),
            # Long query strings reach Django, which answers what is wrong with them (422 {"detail", "code"})
            # instead of gunicorn's bare 414 at 4 KB; 0 means gunicorn's own ceiling of 1 MB.
            "--limit-request-line",
            os.environ.get("OCOP_LIMIT_REQUEST_LINE", "0"),
            "--access-logfile",
            os.environ.get("OCOP_ACCESS_LOG", "-"),
            "--chdir",
            str(settings.BASE_DIR),
            # Hooks: gc.freeze() once the app is loaded; buffered stamp scans written when a worker stops.
            "--config",
            "python:config.gunicorn",
        ]
        self.stdout.write(f"OCOP đang chạy tại http://{options['host']}:{options['port']}/ (Ctrl+C để dừng)")
        self.stdout.flush()
        os.execv(gunicorn, argv)  # noqa: S606 — replace this process with the server, no shell involved
