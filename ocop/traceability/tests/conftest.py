from __future__ import annotations

import pytest
from django.core.cache import cache

from ocop.traceability import lookup, scanlog
from ocop.traceability.scanlog import scan_log


@pytest.fixture(autouse=True)
def _sync_scans(settings):
    """Scans are written before each response, so counts in tests are exact."""
    settings.STAMP_SCANS_SYNC = True
    settings.STAMP_READER_CONNECTION = False  # the test's transaction is not visible to another connection
    cache.clear()
    lookup.forget_batch_facts()  # ids are reused from one test's database to the next
    scanlog.forget_written_alerts()
    yield
    with scan_log._lock:
        scan_log._items.clear()
        scan_log._pending.clear()


@pytest.fixture
def batch(world):
    from ocop.traceability import services

    return services.batch_create(
        user=world.users.producer,
        product=world.products.mien,
        lot="L2026-01",
        data={"quantity": 500, "raw_material_origin": "Củ dong riềng Nam Mẫu"},
    )


@pytest.fixture
def issue(batch):
    """Issue n stamps of the batch (active unless told) and return their codes in serial order."""
    from ocop.traceability import services

    def _issue(n: int = 3, *, active: bool = True, target=None) -> list[str]:
        target = target or batch
        issued = services.stamps_issue(
            user=None, batch=target, count=n, active=active, base_url="http://testserver"
        )
        return list(
            target.stamps.filter(serial__gte=issued.first_serial)
            .order_by("serial")
            .values_list("code", flat=True)
        )

    return _issue
