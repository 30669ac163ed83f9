"""`ocop serve`'s worker start (config/gunicorn.py): the loaded app frozen, young collections spaced out."""

import gc

from config.gunicorn import GC_THRESHOLD, collector_tune


def test_a_started_worker_freezes_what_is_loaded_and_spaces_out_young_collections():
    before = gc.get_threshold()
    try:
        collector_tune()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (GC_THRESHOLD, 10, 10)
        assert GC_THRESHOLD >= 10_000  # 700 let full collections walk a large request's data (p95 +50 %)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
