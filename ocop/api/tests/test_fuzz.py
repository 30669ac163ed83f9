"""Schemathesis fuzzes every API operation in-process (issue 10): no 5xx, answers match the OpenAPI schema.

Bounded and deterministic: ``derandomize=True`` and a few examples per operation, so the run takes seconds
and fails the same way twice. Requests carry an admin's bearer token (the widest scope); the public
operations are called the same way.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from ocop.accounts import twofactor
from ocop.certification.services.events import event_record

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def _keep_connection():
    """Like Django's test client: the WSGI app must not close the test's DB connection after each request
    (on PostgreSQL that would end the test transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(world, settings, _keep_connection):
    settings.OCOP_RATE_LIMITS = {}  # fuzzing is not abuse; the limits have their own tests
    for product in (world.products.mien, world.products.che):
        event_record(product=product, stars=4, decision_date=dt.date(2025, 3, 1), decision_number="9/QĐ")
    _row, token = twofactor.token_create(user=world.users.admin, name="fuzz")
    return token


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_survives_fuzzing(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
