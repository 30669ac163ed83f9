"""Sharing a place after a scan completes that scan: the share's reload, and reloads of its address, are
not counted as new scans (the verify page's "Gửi vị trí" button)."""

from __future__ import annotations

import re

import pytest

from ocop.traceability.models import Scan, Stamp

pytestmark = pytest.mark.django_db


def share_address(html: str, code: str, lat: str = "21.03", lon: str = "105.85") -> str:
    """What traceability.js builds: the page's address with the place and the scan's signed token."""
    token = re.search(r'data-share-location data-scan="([^"]+)"', html).group(1)
    return f"/s/{code}?lat={lat}&lon={lon}&quet={token}"


def test_sharing_a_place_completes_the_scan_and_reloads_do_not_count(client, issue):
    code = issue(1)[0]
    first = client.get(f"/s/{code}").content.decode()
    assert "lần quét đầu tiên" in first
    shared = share_address(first, code)

    for _ in range(2):  # the share's own reload, then the buyer reloading that page
        html = client.get(shared).content.decode()
        assert "Tem chính hãng" in html, re.search(r"verdict__label\">[^<]*", html).group(0)
        assert "đã được quét <strong>1 lần</strong>" in html
        assert "data-share-location" not in html  # the place is known now
    stamp = Stamp.objects.get(code=code)
    assert stamp.scan_count == 1 and Scan.objects.count() == 1
    scan = Scan.objects.get()
    assert (scan.lat, scan.lon) == (21.03, 105.85)
    assert (stamp.last_lat, stamp.last_lon) == (21.03, 105.85)

    client.cookies.clear()  # another browser
    again = client.get(f"/s/{code}").content.decode()  # a new scan (no token) counts
    assert "đã được quét <strong>2 lần</strong>" in again
    assert Stamp.objects.get(code=code).scan_count == 2


def test_a_shared_place_far_away_right_after_another_scan_is_still_checked(client, issue):
    from django.test import Client

    code = issue(1)[0]
    # Hà Nội, place sent with the scan, by another buyer on another network
    Client(REMOTE_ADDR="10.7.7.7").get(f"/s/{code}", {"lat": "21.03", "lon": "105.85"})
    page = client.get(f"/s/{code}").content.decode()
    html = client.get(share_address(page, code, "10.78", "106.70")).content.decode()  # TP.HCM
    assert "Tem có dấu hiệu bất thường" in html or "bất thường" in html
    stamp = Stamp.objects.get(code=code)
    assert stamp.scan_count == 2 and stamp.flagged
    assert stamp.alerts.get().kind == "impossible_travel"


def test_a_token_of_another_code_or_a_forged_one_counts_as_a_scan(client, issue):
    first, second = issue(2)
    page = client.get(f"/s/{first}").content.decode()
    token = re.search(r'data-scan="([^"]+)"', page).group(1)
    client.cookies.clear()
    client.get(f"/s/{second}", {"lat": "21.03", "lon": "105.85", "quet": token})
    client.cookies.clear()
    client.get(f"/s/{second}", {"lat": "21.03", "lon": "105.85", "quet": "forged:token"})
    assert Stamp.objects.get(code=second).scan_count == 2
    assert Stamp.objects.get(code=first).scan_count == 1


def test_the_api_ignores_the_page_token_each_call_is_a_scan(client, issue):
    code = issue(1)[0]
    page = client.get(f"/s/{code}").content.decode()
    token = re.search(r'data-scan="([^"]+)"', page).group(1)
    body = client.get(f"/api/v1/stamps/{code}", {"lat": "21.03", "lon": "105.85", "quet": token}).json()
    assert body["scan_count"] == 2


def test_a_share_waiting_in_the_buffer_with_its_scan_is_written_as_one_scan(
    client, issue, settings, monkeypatch, tmp_path
):
    from ocop.traceability import scanlog
    from ocop.traceability.scanlog import scan_log

    settings.STAMP_SCANS_SYNC = False
    settings.STAMP_SPOOL_DIR = str(tmp_path)
    monkeypatch.setattr(scan_log, "_ensure_thread", lambda: None)
    monkeypatch.setattr(scanlog.connection, "close", lambda: None)
    code = issue(1)[0]
    page = client.get(f"/s/{code}").content.decode()
    html = client.get(share_address(page, code)).content.decode()
    assert "đã được quét <strong>1 lần</strong>" in html  # its scan, still waiting, is counted once
    assert scan_log.waiting() == 2
    scan_log.shutdown()
    stamp = Stamp.objects.get(code=code)
    assert stamp.scan_count == 1 and (stamp.last_lat, stamp.last_lon) == (21.03, 105.85)
    assert list(Scan.objects.values_list("lat", "lon")) == [(21.03, 105.85)]
