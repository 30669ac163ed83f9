"""Issue 18: one client's repeats cannot make a genuine stamp suspicious; they are rate-limited (429 with
Retry-After) and still logged; reloading the stamp page in the same browser is one scan."""

from __future__ import annotations

import pytest
from django.test import Client

from ocop.traceability import codes
from ocop.traceability.models import Scan, Stamp, StampAlert

pytestmark = pytest.mark.django_db


def test_one_client_looking_a_code_up_21_times_does_not_defame_it(client, settings, issue):
    settings.STAMP_REPEAT_LIMIT = 100
    code = issue(1)[0]
    answers = [client.get(f"/api/v1/stamps/{code}").json()["status"] for _ in range(21)]
    assert set(answers) == {"genuine"}
    assert not Stamp.objects.get(code=code).flagged and not StampAlert.objects.exists()
    assert Client(REMOTE_ADDR="10.3.3.3").get(f"/api/v1/stamps/{code}").json()["status"] == "genuine"


def test_repeats_past_the_limit_get_429_with_retry_after_and_are_still_logged(client, settings, issue):
    settings.STAMP_REPEAT_LIMIT = 3
    code = issue(1)[0]
    statuses = [client.get(f"/api/v1/stamps/{code}").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.get(f"/api/v1/stamps/{code}")
    assert refused.json()["code"] == "rate_limited" and "quá nhiều lần" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 600
    assert Scan.objects.filter(code=code).count() == 6  # every answered lookup is in the scan log
    assert Stamp.objects.get(code=code).scan_count == 6
    other = Client(REMOTE_ADDR="10.4.4.4").get(f"/api/v1/stamps/{code}")
    assert other.status_code == 200 and other.json()["status"] == "genuine"  # not the others' problem


def test_the_page_answers_429_with_retry_after_for_repeats(client, settings, issue):
    settings.STAMP_REPEAT_LIMIT = 1
    code = issue(1)[0]
    assert client.get(f"/s/{code}").status_code == 200
    client.cookies.clear()
    refused = client.get(f"/s/{code}")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "quá nhiều lần" in refused.content.decode()


def test_probing_429_carries_retry_after_and_a_code(client, settings, issue):
    settings.STAMP_PROBE_LIMIT = 1
    client.get(f"/api/v1/stamps/{codes.new_codes(1)[0]}")
    refused = client.get(f"/api/v1/stamps/{codes.new_codes(1)[0]}")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 600
    page = client.get(f"/s/{codes.new_codes(1)[0]}")
    assert page.status_code == 429 and int(page["Retry-After"]) >= 1


def test_loading_the_stamp_page_twice_in_one_browser_is_one_scan(client, issue):
    code = issue(1)[0]
    first = client.get(f"/s/{code}")
    assert "ocop_quet" in first.cookies and first.cookies["ocop_quet"]["httponly"]
    second = client.get(f"/s/{code}").content.decode()
    assert "đã được quét <strong>1 lần</strong>" in second or "lần quét đầu tiên" in second
    assert Stamp.objects.get(code=code).scan_count == 1 and Scan.objects.count() == 1
    Client().get(f"/s/{code}")  # another browser: a scan
    assert Stamp.objects.get(code=code).scan_count == 2


def test_other_methods_on_the_stamp_api_are_405_not_a_csrf_403(client, issue):
    code = issue(1)[0]
    for method in ("post", "put", "delete"):
        response = getattr(client, method)(f"/api/v1/stamps/{code}")
        assert response.status_code == 405 and response["Allow"] == "GET"
        assert response.json()["code"] == "not_allowed"


def test_a_place_outside_the_declared_bounds_is_422(client, issue):
    code = issue(1)[0]
    for params in ({"lat": "AAA"}, {"lon": "200"}, {"lat": "nan"}, {"province": "x" * 61}):
        response = client.get(f"/api/v1/stamps/{code}", params)
        assert response.status_code == 422 and response.json()["code"] == "invalid", params
    assert Stamp.objects.get(code=code).scan_count == 0
