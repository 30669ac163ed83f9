"""Gunicorn settings module of `ocop serve` (``--config python:config.gunicorn``): the server hooks.

* post_worker_init: the application is loaded (Django, URLconf, templates' modules); ``gc.freeze()`` moves
  those long-lived objects out of the collector's reach, so the periodic full collections only walk what
  requests allocate — without it, one request in ~15 on a large dashboard pays a 35 ms full collection.
* worker_exit: stamp scans still buffered in the worker are written (none lost on a clean shutdown or a
  max-requests restart).
"""

from ocop.traceability.gunicorn_hooks import worker_exit  # noqa: F401 — a gunicorn hook by name


def post_worker_init(worker) -> None:
    import gc

    gc.collect()
    gc.freeze()
