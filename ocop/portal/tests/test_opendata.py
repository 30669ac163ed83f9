"""Open data (SPEC §5.4, issue 23): every product ever recognised, CSV / XLSX / JSON, CC BY 4.0, no personal
data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ocop.portal import opendata
from ocop.privacy.registry import PERSONAL_DATA

pytestmark = pytest.mark.django_db

COLUMNS = [
    "id", "name", "entity", "entity_type", "group", "stars", "status", "valid_until", "decision_number",
    "decision_date", "commune", "province", "old_commune", "old_district", "old_province", "url",
]  # fmt: skip


def _csv(client, url="/du-lieu-mo/san-pham-ocop.csv") -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_csv_has_every_product_ever_recognised_with_the_contract_columns(client, portal):
    response = client.get("/du-lieu-mo/san-pham-ocop.csv")
    header = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()[0]
    assert header.split(",") == COLUMNS
    rows = {row["name"]: row for row in _csv(client)}
    assert set(rows) == {
        "Miến dong Nam Mẫu",
        "Chè Shan tuyết Đồng Thắng",
        "Kẹo cu đơ",
        "Rượu men lá Đồng Thắng",
        "Điểm du lịch cộng đồng Pác Ngòi",
    }  # fmt: skip — banh, never recognised, is not there
    assert {name: row["status"] for name, row in rows.items()} == {
        "Miến dong Nam Mẫu": "in_force",
        "Chè Shan tuyết Đồng Thắng": "in_force",
        "Kẹo cu đơ": "expired",
        "Rượu men lá Đồng Thắng": "revoked",
        "Điểm du lịch cộng đồng Pác Ngòi": "in_force",
    }
    mien = rows["Miến dong Nam Mẫu"]
    assert mien["id"] == str(portal.mien.pk) and mien["entity"] == "HTX Miến dong Nam Mẫu"
    assert mien["entity_type"] == "htx" and mien["stars"] == "4" and mien["decision_number"] == "123/QĐ-UBND"
    assert mien["commune"] == "Xã Ba Bể" and mien["province"] == "Tỉnh Thái Nguyên"
    assert (mien["old_commune"], mien["old_district"], mien["old_province"]) == (
        "Xã Nam Mẫu",
        "Huyện Ba Bể",
        "Tỉnh Bắc Kạn",
    )
    assert mien["url"] == f"http://testserver/san-pham-ocop/{portal.mien.pk}-mien-dong-nam-mau/"
    assert len(mien["valid_until"]) == 10 and mien["valid_until"][4] == "-"  # ISO dates
    keo = rows["Kẹo cu đơ"]  # registered under a 2025 commune: no district, same units
    assert (
        keo["old_district"] == ""
        and keo["commune"] == keo["old_commune"]
        and keo["province"] == "Tỉnh Hà Tĩnh"
    )
    assert rows["Rượu men lá Đồng Thắng"]["stars"] == "3"


def test_json_wraps_the_same_rows(client, portal):
    response = client.get("/en/du-lieu-mo/san-pham-ocop.json")  # the English address serves the same data
    data = json.loads(b"".join(response.streaming_content))
    assert list(data) == ["generated_at", "licence", "count", "items"]
    assert data["licence"] == "CC BY 4.0" and data["count"] == len(data["items"]) == 5
    assert list(data["items"][0]) == COLUMNS
    assert {item["name"] for item in data["items"]} == {row["name"] for row in _csv(client)}
    assert all(item["url"].startswith("http://testserver/san-pham-ocop/") for item in data["items"])
    assert isinstance(data["items"][0]["stars"], int) and isinstance(data["items"][0]["id"], int)


def test_xlsx_has_the_same_rows(client, portal):
    response = client.get("/du-lieu-mo/san-pham-ocop.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="san-pham-ocop.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS and len(rows) == 6
    assert {row[1] for row in rows[1:]} == {row["name"] for row in _csv(client)}


def test_no_personal_data_in_the_files(client, portal):
    household = portal.world.entities.nam_mau
    household.entity_type = "ho_kinh_doanh"
    household.representative = "Nguyễn Thị Hoa"
    household.email = "hoa@example.com"
    household.address = "Thôn Pác Ngòi, số nhà 12"
    household.save()
    body = b"".join(client.get("/du-lieu-mo/san-pham-ocop.csv").streaming_content).decode()
    body += client.get("/du-lieu-mo/san-pham-ocop.xlsx").content.decode("latin-1")
    body += b"".join(client.get("/du-lieu-mo/san-pham-ocop.json").streaming_content).decode()
    for secret in ("0912345678", "006123456789", "Nguyễn Thị Hoa", "hoa@example.com", "Pác Ngòi, số nhà 12"):
        assert secret not in body, secret
    # And by construction: no column reads a field of the privacy registry.
    personal = {f"{model}.{field}" for model, fields in PERSONAL_DATA.items() for field in fields}
    assert set(opendata.SOURCES) == set(COLUMNS)
    assert not personal & set(opendata.SOURCES.values())


def test_files_are_kept_until_the_next_change(client, portal, page_cache):
    first = b"".join(client.get("/du-lieu-mo/san-pham-ocop.csv").streaming_content)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/du-lieu-mo/san-pham-ocop.csv")
    assert again.content == first and not again.streaming
    assert not [q for q in queries.captured_queries if "certification" in q["sql"]]  # served from the cache
    etag = again["ETag"]
    assert client.get("/du-lieu-mo/san-pham-ocop.csv", HTTP_IF_NONE_MATCH=etag).status_code == 304

    portal.mien.name = "Miến dong Nam Mẫu đặc biệt"
    portal.mien.save()  # a change bumps the portal's version: the next download is made anew
    changed = client.get("/du-lieu-mo/san-pham-ocop.csv")
    assert changed.streaming and "Miến dong Nam Mẫu đặc biệt" in b"".join(changed.streaming_content).decode()
    assert changed["ETag"] != etag


def test_downloads_are_rate_limited_like_the_search_api(client, portal):
    cache.clear()
    with override_settings(OCOP_RATE_LIMITS={"/du-lieu-mo/": (2, 60), "/en/du-lieu-mo/": (2, 60)}):
        assert client.get("/du-lieu-mo/san-pham-ocop.json").status_code == 200
        assert client.get("/du-lieu-mo/san-pham-ocop.json").status_code == 200
        assert client.get("/du-lieu-mo/san-pham-ocop.json").status_code == 429
    cache.clear()


def test_the_default_limits_cover_both_languages():
    from ocop.core.security import DEFAULT_RATE_LIMITS

    assert DEFAULT_RATE_LIMITS["/du-lieu-mo/"] == DEFAULT_RATE_LIMITS["/api/v1/products"]
    assert DEFAULT_RATE_LIMITS["/en/du-lieu-mo/"] == DEFAULT_RATE_LIMITS["/en/tim-kiem/"]


def test_open_data_page_explains_licence_update_and_columns(client, portal):
    html = client.get("/du-lieu-mo/").content.decode()
    assert "CC BY 4.0" in html and "creativecommons.org/licenses/by/4.0" in html
    assert "Cập nhật lần cuối" in html and "<time datetime=" in html
    for column in COLUMNS:
        assert f"<code>{column}</code>" in html, column
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/du-lieu-mo/san-pham-ocop.{fmt}"' in html
    assert "JSON" not in html and "CSV UTF-8" not in html  # words for users, not developers
    assert client.get("/du-lieu-mo/san-pham-ocop.pdf").status_code == 404


def test_a_product_revoked_after_its_certificate_lapsed_is_revoked(client, portal):
    import datetime as dt

    from django.utils import timezone

    from ocop.certification.choices import EventKind
    from ocop.certification.services.events import event_record

    event_record(
        product=portal.keo,
        stars=None,
        kind=EventKind.REVOCATION,
        decision_date=timezone.localdate() - dt.timedelta(days=5),
        decision_number="77/QĐ-UBND",
    )
    rows = {row["name"]: row for row in _csv(client)}
    assert rows["Kẹo cu đơ"]["status"] == "revoked"
    assert rows["Kẹo cu đơ"]["decision_number"] == "789/QĐ-UBND"  # the recognition's decision, with its stars
