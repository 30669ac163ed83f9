"""Targets per commune and district, upgrade steps and support work, progress as of any day — hand-counted
on the history of conftest.py (plus P1 upgraded to 5★ on 2025-06-10)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ocop.certification.services.events import event_record
from ocop.support import services as support
from ocop.support.kinds import KINDS
from ocop.targets.models import Target
from ocop.targets.progress import stamp_coverage, targets_progress
from ocop.targets.selectors import history_load
from ocop.targets.services import target_set
from ocop.traceability import services as stamps
from ocop.traceability.models import Stamp

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def plan(history):
    world = history.world
    places = world.places
    event_record(product=history.products.p1, kind="upgraded", stars=5, decision_date=D(2025, 6, 10))
    admin = world.users.admin
    bac_kan, thai_nguyen = places.bac_kan, places.thai_nguyen
    period = {"start": D(2021, 1, 1), "deadline": D(2025, 6, 30)}
    target_set(user=admin, province=bac_kan, metric="upgraded_to_4_in_period", value=2, **period)
    target_set(user=admin, province=bac_kan, metric="upgraded_to_5_in_period", value=1, **period)
    target_set(
        user=admin,
        province=bac_kan,
        unit=places.ba_be,
        metric="recognized_total",
        value=4,
        start=D(2021, 1, 1),
        deadline=D(2025, 12, 31),
    )
    target_set(
        user=admin, province=bac_kan, unit=places.dong_thang, metric="recognized_total", value=3, **period
    )
    target_set(
        user=admin,
        province=thai_nguyen,
        unit=history.cho_ra_2025,
        metric="new_in_period",
        value=2,
        start=D(2025, 7, 1),
        deadline=D(2025, 12, 31),
    )
    year_2025 = {"start": D(2025, 1, 1), "deadline": D(2025, 12, 31)}
    for metric, value in (
        ("trainees_in_period", 40),
        ("products_on_ecommerce", 4),
        ("points_of_sale", 2),
        ("products_with_stamps", 3),
    ):
        target_set(user=admin, province=bac_kan, metric=metric, value=value, **year_2025)
    course = {
        "title": "Tập huấn OCOP",
        "commune": places.nam_mau,
        "officers": 10,
        "coop_members": 5,
        "founders": 5,
    }
    support.record_create(user=admin, kind=KINDS["tap-huan"], data={**course, "start_date": D(2025, 3, 1)})
    support.record_create(user=admin, kind=KINDS["tap-huan"], data={**course, "start_date": D(2024, 12, 1)})
    support.record_create(
        user=admin,
        kind=KINDS["thuong-mai-dien-tu"],
        data={
            "product": history.products.p1,
            "platform": "shopee",
            "url": "https://shopee.vn/mien",
            "listed_on": D(2025, 1, 1),
            "checked_alive_on": D(2025, 6, 1),
        },
    )
    support.record_create(
        user=admin,
        kind=KINDS["diem-ban"],
        data={
            "name": "Điểm OCOP Ba Bể",
            "commune": places.nam_mau,
            "address": "Chợ Ba Bể",
            "opened_on": D(2024, 1, 1),
            "kind": "point",
        },
    )
    batch = stamps.batch_create(user=None, product=history.products.p1, lot="M-1")
    stamps.stamps_issue(user=None, batch=batch, count=3, active=True, base_url="")
    from django.utils import timezone

    Stamp.objects.update(activated_at=timezone.make_aware(dt.datetime(2025, 6, 20, 9)))
    return history


def _by(rows):
    return {(r["unit"], r["metric"]): (r["actual"], r["percent"]) for r in rows}


def test_progress_of_every_kind_of_target_mid_2025(plan):
    rows = _by(targets_progress(plan.world.places.bac_kan, D(2025, 6, 30)))
    assert rows == {
        ("Tỉnh Bắc Kạn", "upgraded_to_4_in_period"): (1, 50.0),  # P1 3→4★ 2022-05-20
        ("Tỉnh Bắc Kạn", "upgraded_to_5_in_period"): (1, 100.0),  # P1 4→5★ 2025-06-10
        ("Tỉnh Bắc Kạn", "trainees_in_period"): (20, 50.0),  # the 2024 course is before the period
        ("Tỉnh Bắc Kạn", "products_on_ecommerce"): (1, 25.0),
        ("Tỉnh Bắc Kạn", "points_of_sale"): (1, 50.0),
        ("Tỉnh Bắc Kạn", "products_with_stamps"): (1, 33.3),  # P1 of P1, P5, P8 in force
        ("Huyện Ba Bể", "recognized_total"): (1, 25.0),  # P1; P3 revoked, P4 2★
        ("Xã Đồng Thắng", "recognized_total"): (3, 100.0),  # P2 (lapsed, still recognised), P5, P8
    }
    earlier = _by(targets_progress(plan.world.places.bac_kan, D(2022, 12, 31)))
    assert earlier[("Tỉnh Bắc Kạn", "upgraded_to_5_in_period")] == (0, 0.0)
    assert earlier[("Tỉnh Bắc Kạn", "products_with_stamps")] == (0, 0.0)


def test_a_2025_commune_counts_from_its_own_period(plan):
    cho_ra = plan.cho_ra_2025
    rows = _by(targets_progress(plan.world.places.thai_nguyen, D(2025, 12, 31)))
    assert rows == {(cho_ra.name, "new_in_period"): (1, 50.0)}  # P6 2025-09-01


def test_stamp_coverage_share(plan):
    coverage = stamp_coverage(history_load(plan.world.places.bac_kan), D(2025, 6, 30))
    assert (coverage["in_force"], coverage["with_stamps"], coverage["percent"]) == (3, 1, 33.3)


@pytest.mark.parametrize(
    ("unit", "start", "deadline", "message"),
    [
        ("ba_be", D(2025, 7, 1), D(2025, 12, 31), "Cấp huyện không còn từ 01/07/2025"),
        ("successor", D(2025, 1, 1), D(2025, 12, 31), "mới có từ 01/07/2025"),
        ("ha_tinh_commune", D(2025, 8, 1), D(2025, 12, 31), "không thuộc"),
        (None, D(2025, 12, 31), D(2025, 1, 1), "kỳ không có"),
        (None, D(2017, 1, 1), D(2020, 12, 31), "trước khi có Chương trình OCOP"),
    ],
)
def test_a_target_whose_unit_or_period_does_not_exist_is_refused(world, unit, start, deadline, message):
    places = world.places
    chosen = {
        "ba_be": places.ba_be,
        "successor": places.nam_mau_successor,
        "ha_tinh_commune": places.ha_tinh_commune,
        None: None,
    }[unit]
    province = places.thai_nguyen if unit in ("successor", "ha_tinh_commune") else places.bac_kan
    with pytest.raises(ValidationError, match=message):
        target_set(
            user=world.users.admin,
            province=province,
            unit=chosen,
            metric="recognized_total",
            value=3,
            start=start,
            deadline=deadline,
        )
    assert not Target.objects.exists()


def test_cli_sets_commune_and_district_targets_and_reports_progress(plan):
    out = io.StringIO()
    call_command(
        "targets",
        "set",
        "--province",
        "Bắc Kạn",
        "--district",
        "Chợ Đồn",
        "--metric",
        "new_in_period",
        "--value",
        "5",
        "--start",
        "2021-01-01",
        "--deadline",
        "2025-06-30",
        stdout=out,
    )
    assert "Huyện Chợ Đồn" in out.getvalue()
    with pytest.raises(CommandError, match="--commune"):
        call_command(
            "targets",
            "set",
            "--province",
            "Bắc Kạn",
            "--commune",
            "Xã Không Có",
            "--metric",
            "new_in_period",
            "--value",
            "5",
            "--start",
            "2021-01-01",
            "--deadline",
            "2025-06-30",
        )
    out = io.StringIO()
    call_command(
        "targets", "progress", "--province", "Bắc Kạn", "--as-of", "2025-06-30", "--json", stdout=out
    )
    result = json.loads(out.getvalue())
    cho_don = next(r for r in result["targets"] if r["unit"] == "Huyện Chợ Đồn")
    assert (cho_don["actual"], cho_don["percent"]) == (2, 40.0)  # P5 2022, P8 again 2023
    assert result["as_of"] == "2025-06-30" and len(result["targets"]) == 9


def test_ocop_stats_targets_keep_the_contract_and_count_the_new_metrics(plan):
    out = io.StringIO()
    call_command("stats", "--province", "Bắc Kạn", "--as-of", "2025-06-30", "--json", stdout=out)
    targets = json.loads(out.getvalue())["targets"]
    assert all(set(t) == {"metric", "value", "start", "deadline", "actual", "percent"} for t in targets)
    assert len(targets) == 6  # the province's own; its district's and commune's are not in the contract
    assert {t["metric"]: t["actual"] for t in targets}["upgraded_to_5_in_period"] == 1


def test_page_sets_a_commune_target_and_shows_progress(client, plan):
    world = plan.world
    client.force_login(world.users.province)
    url = reverse("targets:targets")
    response = client.post(
        url + "?as_of=2025-12-31",
        {
            "place": plan.cho_ra_2025.pk,
            "metric": "recognized_total",
            "value": "4",
            "start": "2025-07-01",
            "deadline": "2025-12-31",
        },
    )
    assert response.status_code == 302
    page = client.get(url, {"as_of": "2025-12-31"}).content.decode()
    assert f"— {plan.cho_ra_2025.name}" in page and "<strong data-actual>1</strong> / 4" in page
    response = client.post(
        url,
        {
            "place": world.places.ba_be.pk,
            "metric": "recognized_total",
            "value": "4",
            "start": "2025-07-01",
            "deadline": "2025-12-31",
        },
    )
    assert "Đơn vị này không thuộc tỉnh đang chọn." in response.content.decode()
    export = client.get(url, {"as_of": "2025-12-31", "export": "targets"})
    assert export.status_code == 200
    client.force_login(world.users.outsider)
    assert client.get(url, {"unit": world.places.thai_nguyen.pk}).status_code == 404


def test_commune_officer_sees_the_targets_of_their_commune(client, plan):
    world = plan.world
    target_set(
        user=world.users.admin,
        province=world.places.thai_nguyen,
        unit=world.places.nam_mau_successor,
        metric="points_of_sale",
        value=2,
        start=D(2025, 7, 1),
        deadline=D(2026, 12, 31),
    )
    client.force_login(world.users.commune)
    page = client.get(reverse("targets:targets"), {"as_of": "2025-12-31"}).content.decode()
    assert "Số điểm giới thiệu và bán sản phẩm OCOP" in page and "Đặt chỉ tiêu" not in page
    assert "<strong data-actual>1</strong> / 2" in page  # the point of sale in old Nam Mẫu counts
