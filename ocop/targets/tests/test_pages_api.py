"""Dashboard, targets page and /api/v1/stats: who sees what, exports, setting targets."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from ocop.core.models import AuditLog
from ocop.targets.models import Target
from ocop.testing import PASSWORD

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("targets:dashboard")
TARGETS = reverse("targets:targets")
API = "/api/v1/stats"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_province_officer_sees_own_figures(client, history):
    login(client, history.world.users.province)
    response = client.get(DASHBOARD, {"as_of": "2025-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tỉnh Thái Nguyên" in html and 'data-stat="recognized_total">5<' in html
    assert "<svg" in html and "Xã Bạch Thông" in html
    assert "Kẹo" not in html  # the Hà Tĩnh product is nowhere


def test_legacy_province_has_district_table(client, history):
    login(client, history.world.users.province_legacy)
    html = client.get(DASHBOARD, {"as_of": "2025-06-30"}).content.decode()
    assert "Theo huyện" in html and "Huyện Ba Bể" in html and 'data-stat="recognized_total">4<' in html


def test_district_and_commune_officers_see_their_unit(client, history):
    login(client, history.world.users.district)
    html = client.get(DASHBOARD, {"as_of": "2025-06-30"}).content.decode()
    assert "Huyện Ba Bể" in html and 'data-stat="recognized_total">1<' in html
    client.logout()
    login(client, history.world.users.commune)  # 2025 Xã Ba Bể: Nam Mẫu's products
    html = client.get(DASHBOARD, {"as_of": "2025-12-31"}).content.decode()
    assert 'data-stat="recognized_total">1<' in html  # P1 (P4 is 2★)


@pytest.mark.parametrize("who", ["outsider", "producer", "council"])
def test_outsiders_get_404(client, history, who):
    login(client, getattr(history.world.users, who))
    thai_nguyen = history.world.places.thai_nguyen
    assert client.get(DASHBOARD, {"unit": thai_nguyen.pk}).status_code == 404
    assert client.get(TARGETS, {"unit": thai_nguyen.pk}).status_code == 404
    response = client.get(API, {"province": "Thái Nguyên", "as_of": "2025-12-31"})
    assert response.status_code == 404 and "detail" in response.json()


def test_officer_cannot_pick_another_unit(client, history):
    login(client, history.world.users.district)
    assert client.get(DASHBOARD, {"unit": history.world.places.thai_nguyen.pk}).status_code == 404
    assert client.get(DASHBOARD, {"unit": history.world.places.cho_don.pk}).status_code == 404


def test_new_province_officer_may_look_at_the_merged_legacy_province(client, history):
    login(client, history.world.users.province)
    response = client.get(DASHBOARD, {"unit": history.world.places.bac_kan.pk, "as_of": "2025-06-30"})
    assert response.status_code == 200 and "Tỉnh Bắc Kạn" in response.content.decode()


def test_anonymous_is_sent_to_login(client, places):
    assert client.get(DASHBOARD).status_code == 302
    assert client.get(API).status_code == 401


def test_admin_picks_any_province(client, history):
    login(client, history.world.users.admin)
    response = client.get(DASHBOARD, {"unit": history.world.places.ha_tinh.pk, "as_of": "2025-12-31"})
    assert 'data-stat="recognized_total">1<' in response.content.decode()


def test_api_returns_the_cli_object(client, history):
    from django.core.management import call_command

    login(client, history.world.users.province)
    response = client.get(API, {"province": "thai nguyen", "as_of": "2025-12-31"})
    assert response.status_code == 200
    out = io.StringIO()
    call_command("stats", "--province", "Thái Nguyên", "--as-of", "2025-12-31", "--json", stdout=out)
    assert response.json() == json.loads(out.getvalue())


def test_api_for_an_officer_follows_their_unit_across_generations(client, history):
    login(client, history.world.users.province)
    # Before 2025 "Thái Nguyên" names the legacy province, merged into this officer's 2025 province.
    body = client.get(API, {"province": "Thái Nguyên", "as_of": "2025-06-30"}).json()
    assert body["communes_total"] == 172 and body["recognized_total"] == 0
    own = client.get(API, {"as_of": "2025-06-30"}).json()  # default: their unit
    assert own["communes_total"] == 92 and own["recognized_total"] == 4
    legacy_officer = history.world.users.province_legacy
    client.logout()
    login(client, legacy_officer)  # a Bắc Kạn officer asking for "Thái Nguyên" before 2025: not theirs
    assert client.get(API, {"province": "Thái Nguyên", "as_of": "2025-06-30"}).status_code == 404


def test_api_errors(client, history):
    login(client, history.world.users.admin)
    assert client.get(API, {"province": "Bắc Kạn", "as_of": "2025-13-01"}).status_code == 422
    assert client.get(API, {"province": "Nowhere", "as_of": "2025-01-01"}).status_code == 404
    assert client.get(API, {"as_of": "2025-01-01"}).status_code == 404


def test_openapi_describes_the_stats_response(client, places):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/stats"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    properties = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert {"province", "as_of", "by_star", "by_year", "targets", "communes_total"} <= set(properties)


@pytest.mark.parametrize(
    "table", ["communes", "districts", "years", "stars", "groups", "entity_types", "summary"]
)
def test_every_table_exports_to_xlsx_without_formulas(client, history, table):
    login(client, history.world.users.province_legacy)
    response = client.get(DASHBOARD, {"as_of": "2025-06-30", "export": table})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    content = response.content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert len(rows) >= 2
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    if table == "communes":
        assert rows[0][:2] == ["Xã/phường", "Huyện"]
        cho_ra = next(r for r in rows if r[0] == "Thị trấn Chợ Rã")
        assert cho_ra[2] == 0 and cho_ra[8] == 1  # its only product was revoked


def test_formula_like_names_are_neutralised_in_exports(client, history):
    from ocop.geography.models import AdminUnit

    commune = history.world.places.nam_mau
    AdminUnit.objects.filter(pk=commune.pk).update(name='=HYPERLINK("http://x")')
    login(client, history.world.users.province_legacy)
    response = client.get(DASHBOARD, {"as_of": "2025-06-30", "export": "communes"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert any(str(r[0]).startswith("'=") for r in rows)


def test_province_officer_sets_and_replaces_a_target(client, history):
    user = history.world.users.province
    login(client, user)
    data = {"metric": "recognized_total", "value": "8", "start": "2021-01-01", "deadline": "2025-12-31"}
    response = client.post(TARGETS + "?as_of=2026-06-30", data)
    assert response.status_code == 302
    client.post(TARGETS + "?as_of=2026-06-30", {**data, "value": "10"})
    target = Target.objects.get(province=history.world.places.thai_nguyen)
    assert target.value == 10
    html = client.get(TARGETS, {"as_of": "2026-06-30"}).content.decode()
    assert "<strong data-actual>5</strong> / 10" in html and 'width="50.0"' in html  # the bar: 50 %
    actions = list(AuditLog.objects.filter(model_label="targets.target").values_list("action", "username"))
    assert actions == [("update", user.username), ("create", user.username)]


def test_target_form_refuses_bad_input(client, history):
    login(client, history.world.users.province)
    response = client.post(
        TARGETS, {"metric": "recognized_total", "value": "0", "start": "2025-01-01", "deadline": "2024-01-01"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "số dương" in html and "Ngày kết thúc" in html
    assert not Target.objects.exists()


def test_only_province_officers_and_admins_set_targets(client, history):
    login(client, history.world.users.district)
    response = client.post(
        TARGETS, {"metric": "recognized_total", "value": "3", "start": "2025-01-01", "deadline": "2025-12-31"}
    )
    assert response.status_code == 404 and not Target.objects.exists()


def test_nav_has_statistics_for_officers_only(client, history):
    login(client, history.world.users.province)
    assert f'href="{DASHBOARD}"' in client.get("/quan-ly/", follow=True).content.decode()
    client.logout()
    login(client, history.world.users.producer)
    assert f'href="{DASHBOARD}"' not in client.get("/quan-ly/", follow=True).content.decode()
