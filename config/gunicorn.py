"""Gunicorn settings module of `ocop serve` (``--config python:config.gunicorn``): the server hooks.

* post_worker_init: the application is loaded (Django, URLconf, templates' modules); ``gc.freeze()`` moves
  those long-lived objects out of the collector's reach, so the periodic full collections only walk what
  requests allocate — without it, one request in ~15 on a large dashboard pays a 35 ms full collection.
  The first generation's threshold rises from Python's 700 allocations to ``OCOP_GC_THRESHOLD`` (default
  10,000): after the freeze the collector's long-lived set is tiny, so a full collection starts whenever a
  request has promoted a few hundred objects and then walks everything the request holds (a dashboard of
  a 20,000-product province holds ~100,000): the statistics dashboard's p95 was 56–67 ms at 700 and
  38–41 ms at 10,000 for the same median (34–39 ms), peak RSS +3 MB (in process, SQLite, alternating).
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
GC_THRESHOLD = int(os.environ.get("OCOP_GC_THRESHOLD", "10000"))  # allocations between young collections


def collector_tune() -> None:
    """Freeze what is loaded and space the young collections out (see the module's docstring); also called
    by the benchmarks, which measure requests as a worker serves them."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 10, 10)


def post_worker_init(worker) -> None:
    import sys

    worker_start()
    collector_tune()
    sys.setswitchinterval(SWITCH_INTERVAL)
