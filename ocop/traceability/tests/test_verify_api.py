"""GET /api/v1/stamps/{code} (SPEC §5.4): each call is a scan."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ocop.certification.models import Certificate, RecognitionEvent
from ocop.traceability import codes, services
from ocop.traceability.choices import AlertKind, StampStatus
from ocop.traceability.middleware import StampApiMiddleware
from ocop.traceability.models import Scan, Stamp, StampAlert

pytestmark = pytest.mark.django_db

KEYS = {"status", "product", "lot", "scan_count"}


def api(client, code, **params):
    return client.get(f"/api/v1/stamps/{code}", params)


def test_genuine_shape_counts_the_current_scan_and_logs_it(client, world, issue):
    code = issue(2)[0]
    first = api(client, code).json()
    assert set(first) == KEYS
    assert first["status"] == "genuine"
    assert first["lot"] == "L2026-01"
    assert first["scan_count"] == 1
    assert first["product"] == {
        "id": world.products.mien.pk,
        "name": "Miến dong Nam Mẫu",
        "entity": "HTX Miến dong Nam Mẫu",
        "stars": None,
    }
    assert api(client, code.lower()).json()["scan_count"] == 2
    stamp = Stamp.objects.get(code=code)
    assert stamp.scan_count == 2 and stamp.first_scan_at is not None
    scans = list(Scan.objects.filter(stamp=stamp))
    assert len(scans) == 2 and all(s.verdict == "genuine" for s in scans)
    assert len(scans[0].net_hash) == 16 and "127.0.0" not in scans[0].net_hash


def test_stars_come_from_the_certificate_in_force(client, world, issue):
    product = world.products.mien
    today = dt.date.today()
    event = RecognitionEvent.objects.create(product=product, kind="new", stars=4, decision_date=today)
    Certificate.objects.create(
        event=event, product=product, stars=4, valid_from=today, valid_to=today + dt.timedelta(days=30)
    )
    assert api(client, issue(1)[0]).json()["product"]["stars"] == 4


def test_typo_is_unknown_without_looking_up_the_stamp(client, world, issue):
    code = issue(1)[0]
    typo = code[:5] + ("X" if code[5] != "X" else "Y") + code[6:]
    with CaptureQueriesContext(connection) as queries:
        body = api(client, typo).json()
    assert body == {"status": "unknown", "product": None, "lot": "", "scan_count": 0}
    assert not any(
        "traceability_stamp" in q["sql"] and "SELECT" in q["sql"] for q in queries.captured_queries
    )
    assert Scan.objects.filter(stamp=None, verdict="unknown").count() == 1


def test_well_formed_code_never_issued_is_unknown(client, world):
    assert api(client, codes.new_codes(1)[0]).json()["status"] == "unknown"


def test_revoke_per_batch_and_void_per_stamp_verify_as_revoked(client, world, batch, issue):
    first, second, third = issue(3)
    stamp = Stamp.objects.get(code=first)
    services.stamps_set_status(user=world.users.producer, batch=batch, status="void", stamp=stamp)
    assert api(client, first).json()["status"] == "revoked"
    assert api(client, second).json()["status"] == "genuine"
    services.stamps_set_status(user=world.users.producer, batch=batch, status="revoked")
    assert {api(client, c).json()["status"] for c in (first, second, third)} == {"revoked"}
    assert api(client, second).json()["scan_count"] == 3  # revoked scans still count


def test_scan_before_activation_is_suspicious_and_alerts_once(client, world, batch, issue):
    code = issue(1, active=False)[0]
    assert api(client, code).json()["status"] == "suspicious"
    assert api(client, code).json()["status"] == "suspicious"
    alerts = StampAlert.objects.filter(kind=AlertKind.BEFORE_ACTIVATION)
    assert alerts.count() == 1 and alerts.get().product == world.products.mien
    services.stamps_set_status(user=world.users.producer, batch=batch, status=StampStatus.ACTIVE)
    alert = alerts.get()
    services.alert_resolve(user=world.users.producer, alert=alert)
    assert api(client, code).json()["status"] == "genuine"


def test_too_many_scans(client, settings, world, issue):
    settings.STAMP_MAX_CLIENTS = 3
    code = issue(1)[0]
    statuses = [
        client.get(f"/api/v1/stamps/{code}", REMOTE_ADDR=f"10.0.{n}.1").json()["status"] for n in range(4)
    ]
    assert statuses == ["genuine"] * 3 + ["suspicious"]
    assert api(client, code).json()["status"] == "suspicious"  # flagged from now on
    assert StampAlert.objects.filter(kind=AlertKind.TOO_MANY_SCANS).count() == 1


def test_impossible_travel_from_phone_positions(client, world, issue):
    code = issue(1)[0]
    assert api(client, code, lat=21.0285, lon=105.8542).json()["status"] == "genuine"  # Hà Nội
    far = client.get(f"/api/v1/stamps/{code}", {"lat": 10.7769, "lon": 106.7009}, REMOTE_ADDR="10.0.0.9")
    assert far.json()["status"] == "suspicious"  # TP HCM, another buyer
    alert = StampAlert.objects.get(kind=AlertKind.IMPOSSIBLE_TRAVEL)
    assert alert.details["km"] > 1000
    stamp = Stamp.objects.get(code=code)
    assert stamp.first_scan_place == "21.03, 105.85" and stamp.flagged


def test_probing_unknown_codes_from_one_source_is_rate_limited(client, settings, world, issue):
    settings.STAMP_PROBE_LIMIT = 3
    genuine = issue(1)[0]
    for fake in codes.new_codes(3):
        assert api(client, fake).status_code == 200
    response = api(client, codes.new_codes(1)[0])
    assert response.status_code == 429
    assert "quá nhiều mã tem không tồn tại" in response.json()["detail"]
    assert StampAlert.objects.filter(kind=AlertKind.PROBING).count() == 1
    assert api(client, codes.new_codes(1)[0]).status_code == 429
    assert StampAlert.objects.filter(kind=AlertKind.PROBING).count() == 1
    assert api(client, genuine).json()["status"] == "genuine"  # real codes still answer
    other = client.get(f"/api/v1/stamps/{codes.new_codes(1)[0]}", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 200  # another network has its own budget


def test_public_page_big_verdicts(client, world, batch, issue):
    genuine, revoked = issue(2)
    services.stamps_set_status(
        user=None, batch=batch, status="revoked", stamp=Stamp.objects.get(code=revoked)
    )
    page = client.get(f"/s/{codes.pretty(genuine)}").content.decode()
    assert "Tem chính hãng" in page and "Miến dong Nam Mẫu" in page and "lần quét đầu tiên" in page
    assert "Tem đã bị thu hồi" in client.get(f"/s/{revoked}").content.decode()
    assert "Mã tem không tồn tại" in client.get("/s/KHONG-CO-MA-NAY").content.decode()
    again = client.get(f"/s/{genuine}").content.decode()
    assert "đã được quét <strong>2 lần</strong>" in again
    form = client.get("/s/", {"ma": genuine.lower()})
    assert form.status_code == 302 and form["Location"] == f"/s/{genuine}"


def test_digital_link_address_with_gtin(client, world):
    product = world.products.mien
    product.gtin = "8938505974194"
    product.save()
    batch = services.batch_create(user=None, product=product, lot="GL-1")
    services.stamps_issue(user=None, batch=batch, count=1, active=True, base_url="")
    code = batch.stamps.get().code
    url = codes.stamp_path(code, gtin=product.gtin, lot="GL-1")
    assert url.startswith("/01/08938505974194/10/GL-1/21/")
    assert "Tem chính hãng" in client.get(url).content.decode()
    wrong_lot = url.replace("/10/GL-1/", "/10/GL-2/")
    assert "Mã tem không tồn tại" in client.get(wrong_lot).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prepared", [True, False])  # PostgreSQL: libpq prepared statement or Django's cursor
def test_server_threads_read_through_their_own_kept_connection(client, settings, world, prepared):
    from ocop.traceability import lookup

    settings.STAMP_READER_CONNECTION = True
    settings.STAMP_PREPARED_LOOKUP = prepared
    batch = services.batch_create(user=None, product=world.products.mien, lot="RC-1")
    services.stamps_issue(user=None, batch=batch, count=1, active=True, base_url="")
    code = batch.stamps.get().code
    assert api(client, code).json()["scan_count"] == 1
    reader = lookup._local.reader
    assert reader is not connection and reader.connection is not None
    services.stamps_set_status(user=None, batch=batch, status="revoked")
    body = api(client, code).json()
    assert body == {**body, "status": "revoked", "scan_count": 2}  # sees what was committed meanwhile
    assert lookup._local.reader is reader
    reader.close()
    lookup._local.reader = None


@pytest.mark.django_db(transaction=True)
def test_server_threads_keep_a_batch_s_facts_briefly_but_never_the_stamp_s_state(
    client, settings, world, monkeypatch
):
    from ocop.traceability import lookup

    settings.STAMP_READER_CONNECTION = True
    product = world.products.mien
    batch = services.batch_create(user=None, product=product, lot="BF-1")
    services.stamps_issue(user=None, batch=batch, count=1, active=True, base_url="")
    code = batch.stamps.get().code
    try:
        assert api(client, code).json()["product"]["name"] == product.name
        product.name = "Miến dong đổi tên"
        product.save()
        services.stamps_set_status(user=None, batch=batch, status="revoked")
        body = api(client, code).json()
        assert body["status"] == "revoked" and body["scan_count"] == 2  # the stamp is read fresh
        assert body["product"]["name"] != "Miến dong đổi tên"  # the batch facts within their seconds
        later = time.monotonic() + lookup.BATCH_FACTS_SECONDS + 0.1
        monkeypatch.setattr(lookup, "_clock", lambda: later)
        assert api(client, code).json()["product"]["name"] == "Miến dong đổi tên"
    finally:
        lookup._local.reader.close()
        lookup._local.reader = None


def test_the_openapi_schema_documents_the_verify_contract(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/stamps/{code}"]["get"]
    assert "security" not in operation or operation["security"] in ([], [{}])
    assert {"200", "422", "429"} <= set(operation["responses"]) and "401" not in operation["responses"]


def test_the_api_skips_the_session_stack_but_answers_with_the_full_stack_s_headers(client, world, issue):
    code = issue(1)[0]
    response = api(client, code)
    assert response.status_code == 200 and response.json()["status"] == "genuine"
    assert not response.cookies  # no session, CSRF or language cookie on the public API
    for header, value in {
        "Content-Type": "application/json",
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "Content-Language": "vi",
        "Vary": "Accept-Language",
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Content-Length": str(len(response.content)),
    }.items():
        assert response[header] == value, header
    assert "Content-Security-Policy" in response and "Permissions-Policy" in response

    # Only GET /api/v1/stamps/{code} takes the short path; the rest goes down the full stack.
    full_stack = []
    middleware = StampApiMiddleware(lambda request: full_stack.append(request.path) or "full")
    refused = client.post(f"/api/v1/stamps/{code}")  # answered here too: 405, never the CSRF check's 403
    assert refused.status_code == 405 and refused["Allow"] == "GET"
    assert refused.json()["code"] == "not_allowed"
    factory = RequestFactory()
    assert middleware(factory.post(f"/api/v1/stamps/{code}")).status_code == 405
    for request in (factory.get("/api/v1/stamps/"), factory.get(f"/api/v1/stamps/{code}/x")):
        assert middleware(request) == "full"
    assert full_stack == ["/api/v1/stamps/", f"/api/v1/stamps/{code}/x"]
