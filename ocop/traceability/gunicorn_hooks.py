"""Gunicorn settings module (``--config python:ocop.traceability.gunicorn_hooks``, used by ``ocop serve``).

When a worker stops (clean shutdown, max-requests restart) it writes the stamp scans still waiting in its
buffer, so none is lost."""


def worker_exit(server, worker) -> None:
    import sys

    scanlog = sys.modules.get("ocop.traceability.scanlog")
    if scanlog is not None:  # nothing to write when this worker never verified a stamp
        scanlog.scan_log.shutdown()
