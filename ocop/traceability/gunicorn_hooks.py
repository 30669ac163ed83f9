"""Stamp scan log hooks of the gunicorn settings module (``config/gunicorn.py``, used by ``ocop serve``).

* ``worker_start`` (from ``post_worker_init``): a worker that starts replays the spools of workers that died
  without flushing (SIGKILL, the OOM killer; see scanlog.py), so their answered scans reach the database
  even before the first new scan.
* ``worker_exit``: when a worker stops (clean shutdown, max-requests restart) it writes the stamp scans still
  waiting in its buffer, so none is lost.
"""


def worker_start() -> None:
    from django.db import connections

    from ocop.traceability.scanlog import scan_log

    scan_log.replay()
    connections.close_all()  # the worker's request threads open their own


def worker_exit(server, worker) -> None:
    import sys

    scanlog = sys.modules.get("ocop.traceability.scanlog")
    if scanlog is not None:  # nothing to write when this worker never verified a stamp
        scanlog.scan_log.shutdown()
