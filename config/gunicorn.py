"""Gunicorn settings module of `ocop serve` (``--config python:config.gunicorn``): the server hooks.

* post_worker_init: the application is loaded (Django, URLconf, templates' modules); ``gc.freeze()`` moves
  those long-lived objects out of the collector's reach, so the periodic full collections only walk what
  requests allocate — without it, one request in ~15 on a large dashboard pays a 35 ms full collection.
  The GIL switch interval drops from Python's 5 ms to ``OCOP_SWITCH_INTERVAL`` (default 1 ms): a request
  thread whose database answer has arrived waits for the GIL behind the other threads (and the stamp scan
  log's writer) up to one interval each time, several times per request — at 5 ms that was most of the
  stamp API's p99 under load (measured side by side: p99 32/16/107/43 ms → 16/15/23/19 ms, same rps).
  Before that, the worker replays the stamp-scan spools of workers that were killed (issue 18).
* worker_exit: stamp scans still buffered in the worker are written (none lost on a clean shutdown or a
  max-requests restart).
"""

import os

from ocop.traceability.gunicorn_hooks import worker_exit, worker_start  # noqa: F401 — a hook by name

SWITCH_INTERVAL = float(os.environ.get("OCOP_SWITCH_INTERVAL", "0.001"))  # seconds


def post_worker_init(worker) -> None:
    import gc
    import sys

    worker_start()
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL)
