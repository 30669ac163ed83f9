"""Administrative units are loaded once per test session (14,000 rows), not per test.

The repository-root conftest may already load them in its own ``django_db_setup``; this override then
finds them present and does nothing, so both orders work.
"""

from __future__ import annotations

import pytest

from ocop.geography.loader import load_admin_units
from ocop.geography.models import AdminUnit


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if not AdminUnit.objects.exists():
            load_admin_units()
