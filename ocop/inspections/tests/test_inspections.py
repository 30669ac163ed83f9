"""Inspections after recognition: a plan, products with due dates, findings on the checklist, verdicts,
a breach leading to revocation, the KPI and overdue lists — and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.certification.choices import EventKind
from ocop.certification.models import RecognitionEvent
from ocop.certification.services.events import event_record
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.inspections import services
from ocop.inspections.models import Inspection
from ocop.inspections.selectors import inspection_kpi, overdue_inspections, products_due, year_figures
from ocop.targets.selectors import history_load

pytestmark = pytest.mark.django_db
D = dt.date
ALL_OK = {
    name: "ok"
    for name in ("raw_materials", "food_safety", "label_packaging", "qr_stamps", "trademark", "star_criteria")
}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(world):
    """Miến (Nam Mẫu) 4★ from 2024-03-01; Chè (Đồng Thắng) 3★ from 2023-01-10; Kẹo (Hà Tĩnh) 3★ 2024."""
    event_record(product=world.products.mien, stars=4, decision_date=D(2024, 3, 1))
    event_record(product=world.products.che, stars=3, decision_date=D(2023, 1, 10))
    event_record(product=world.products.keo, stars=3, decision_date=D(2024, 1, 1))
    return services.plan_save(
        user=world.users.province, province=world.places.thai_nguyen, year=2025, title="Kiểm tra 2025"
    )


def test_a_product_not_recognised_on_the_due_date_is_refused(world, plan):
    with pytest.raises(ValidationError, match="không được công nhận OCOP vào ngày 10/01/2025"):
        services.inspection_plan_product(
            user=world.users.province, plan=plan, product=_unrecognised(world), due_date=D(2025, 1, 10)
        )
    assert not Inspection.objects.exists()


def _unrecognised(world):
    from ocop import testing

    return testing.make_product(entity=world.entities.nam_mau, name="Bánh chưa công nhận")


def test_plan_refuses_outsiders_other_provinces_and_dates_outside_the_year(world, plan):
    with pytest.raises(ScopeError):
        services.inspection_plan_product(
            user=world.users.outsider, plan=plan, product=world.products.keo, due_date=D(2025, 5, 1)
        )
    with pytest.raises(ScopeError):  # a district officer does not plan
        services.inspection_plan_product(
            user=world.users.district, plan=plan, product=world.products.mien, due_date=D(2025, 5, 1)
        )
    with pytest.raises(ValidationError, match="trong năm 2025"):
        services.inspection_plan_product(
            user=world.users.province, plan=plan, product=world.products.mien, due_date=D(2026, 1, 5)
        )
    assert not Inspection.objects.exists()


def test_findings_verdicts_and_their_rules(world, plan):
    item = services.inspection_plan_product(
        user=world.users.province, plan=plan, product=world.products.mien, due_date=D(2025, 6, 1)
    )
    record = lambda **data: services.inspection_record(  # noqa: E731
        user=world.users.district,
        pk=item.pk,
        data={"inspected_on": D(2025, 5, 20), **ALL_OK, **data},
        today=D(2025, 12, 31),
    )
    with pytest.raises(ValidationError, match="không thể là “đạt”"):
        record(label_packaging="issue", verdict="complies")
    with pytest.raises(ValidationError, match="hạn khắc phục"):
        record(label_packaging="issue", verdict="needs_fixing", findings="Nhãn thiếu hạn dùng")
    with pytest.raises(ValidationError, match="không được công nhận OCOP vào ngày 01/01/2024"):
        record(inspected_on=D(2024, 1, 1), verdict="complies")
    done = record(
        label_packaging="issue",
        verdict="needs_fixing",
        findings="Nhãn thiếu hạn dùng",
        fix_by=D(2025, 7, 1),
        evidence=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4"),
    )
    assert done.verdict == "needs_fixing" and done.evidence.name.startswith(f"inspections/{plan.pk}/bien-ban")
    assert AuditLog.objects.filter(model_label="inspections.inspection", action="update").exists()


def test_a_serious_breach_leads_to_a_revocation_by_certifications_rules(client, world, plan):
    item = services.inspection_plan_product(
        user=world.users.province, plan=plan, product=world.products.mien, due_date=D(2025, 6, 1)
    )
    services.inspection_record(
        user=world.users.province,
        pk=item.pk,
        today=D(2025, 12, 31),
        data={
            "inspected_on": D(2025, 5, 20),
            **ALL_OK,
            "food_safety": "issue",
            "verdict": "serious_breach",
            "findings": "Giấy chứng nhận ATTP hết hạn, sản phẩm mốc",
        },
    )
    # A district officer cannot revoke a 4★ product (the periods table: the province's decision).
    with pytest.raises(ValidationError, match="chỉ cán bộ cấp tỉnh"):
        services.inspection_revoke(
            user=world.users.district, pk=item.pk, number="1/QĐ", date=D(2025, 6, 1), reason="Vi phạm"
        )
    # On the web the officer is first shown what will happen (the certificate it ends), nothing stored yet.
    client.force_login(world.users.province)
    posted = {"number": "15/QĐ-UBND", "date": "2025-06-01", "reason": "Vi phạm ATTP"}
    asked = client.post(reverse("inspections:revoke", args=[item.pk]), posted).content.decode()
    assert "Xác nhận thu hồi" in asked and "Chấm dứt hiệu lực từ ngày 01/06/2025: giấy chứng nhận" in asked
    assert not RecognitionEvent.objects.filter(kind=EventKind.REVOCATION).exists()
    event = services.inspection_revoke(
        user=world.users.province, pk=item.pk, number="15/QĐ-UBND", date=D(2025, 6, 1), reason="Vi phạm ATTP"
    )
    item.refresh_from_db()
    assert item.revocation == event and event.kind == EventKind.REVOCATION
    with pytest.raises(ValidationError, match="không sửa kết quả"):
        services.inspection_record(user=world.users.province, pk=item.pk, data={"verdict": "complies"})


def test_kpi_overdue_and_year_figures_hand_counted(world, plan):
    """In force on 2025-12-31 in Thái Nguyên: Miến (4★ to 2027) and Chè (3★ 2023-01-10 → 2026-01-09): 2.
    Miến inspected 2025-05-20 (complies); Chè due 2025-09-01, not done → overdue; KPI 1/2 = 50 %."""
    mien = services.inspection_plan_product(
        user=world.users.province, plan=plan, product=world.products.mien, due_date=D(2025, 6, 1)
    )
    services.inspection_plan_product(
        user=world.users.province, plan=plan, product=world.products.che, due_date=D(2025, 9, 1)
    )
    found = {"inspected_on": D(2025, 5, 20), **ALL_OK, "verdict": "complies"}
    services.inspection_record(user=world.users.province, pk=mien.pk, today=D(2025, 12, 31), data=found)
    day = D(2025, 12, 31)
    history = history_load(world.places.thai_nguyen)
    assert inspection_kpi(history, day) == {"in_force": 2, "inspected": 1, "percent": 50.0}
    figures = year_figures(history, 2025, day)
    assert (figures["planned"], figures["done"], figures["overdue"]) == (2, 1, 1)
    assert figures["by_verdict"] == {"complies": 1, "needs_fixing": 0, "serious_breach": 0}
    assert [i.product for i in overdue_inspections(user=world.users.province, today=day)] == [
        world.products.che
    ]
    assert [
        i.product for i in overdue_inspections(user=world.users.commune, today=day)
    ] == []  # Chè elsewhere
    assert list(overdue_inspections(user=world.users.outsider, today=day)) == []


def test_products_due_lists_certificates_without_an_inspection(world, plan):
    due = products_due(user=world.users.province, plan=plan, day=D(2025, 12, 31))
    assert {c.product for c in due} == {world.products.mien, world.products.che}
    services.inspection_plan_product(
        user=world.users.province, plan=plan, product=world.products.che, due_date=D(2025, 9, 1)
    )
    due = products_due(user=world.users.province, plan=plan, day=D(2025, 12, 31))
    assert {c.product for c in due} == {world.products.mien}


def test_pages_scope_and_export(client, world, plan):
    item = services.inspection_plan_product(
        user=world.users.province, plan=plan, product=world.products.mien, due_date=D(2025, 6, 1)
    )
    client.force_login(world.users.province)
    assert "Kiểm tra 2025" in client.get(reverse("inspections:home")).content.decode()
    page = client.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert "Miến dong Nam Mẫu" in page
    export = client.get(reverse("inspections:list"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    client.force_login(world.users.producer)  # their own product's inspection: read only
    assert client.get(reverse("inspections:detail", args=[item.pk])).status_code == 200
    assert client.get(reverse("inspections:record", args=[item.pk])).status_code == 404
    assert client.get(reverse("inspections:plan_detail", args=[plan.pk])).status_code == 404
    client.force_login(world.users.outsider)
    for name in ("detail", "record", "revoke"):
        assert client.get(reverse(f"inspections:{name}", args=[item.pk])).status_code == 404
    assert client.get(reverse("inspections:plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("inspections:unplan", args=[item.pk])).status_code == 404
    assert Inspection.objects.filter(pk=item.pk).exists()


def test_api_lists_overdue_inspections_in_scope(client, world, plan):
    services.inspection_plan_product(
        user=world.users.province, plan=plan, product=world.products.che, due_date=D(2025, 9, 1)
    )
    client.force_login(world.users.province)
    data = client.get("/api/v1/inspections", {"state": "overdue"}).json()
    assert data["count"] == 1 and data["items"][0]["product"] == "Chè Shan tuyết Đồng Thắng"
    assert data["items"][0]["verdict"] == "" and data["items"][0]["year"] == 2025
    client.force_login(world.users.outsider)
    assert client.get("/api/v1/inspections").json()["count"] == 0
    assert client.get("/api/v1/inspections", {"state": "nonsense"}).status_code == 422
