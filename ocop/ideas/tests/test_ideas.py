"""Product ideas by year (steps 1–3): stages as of a day, counts in `ocop stats`, the officers' pages and
their rules, scoping and export."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from ocop.certification.services.events import event_record
from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.evaluation.choices import IdeaStatus
from ocop.evaluation.models import ProductIdea
from ocop.ideas import services
from ocop.ideas.selectors import idea_counts_by_year, idea_list
from ocop.products.models import ProductSet
from ocop.targets.selectors import counted_communes

pytestmark = pytest.mark.django_db
D = dt.date


def _set():
    return ProductSet.objects.filter(group__classification__is_current=True, number=7).first()


def _idea(world, entity, name, year, **data):
    return services.idea_register(
        user=world.users.admin,
        data={
            "entity": entity,
            "product_name": name,
            "product_set": _set(),
            "kind": "new",
            "year": year,
            "description": "Ý tưởng",
            "status": data.pop("status", IdeaStatus.SUBMITTED),
            **data,
        },
        today=D(2025, 12, 31),
    )


@pytest.fixture
def ideas(world):
    """Hand-counted: 2019 — 4 ideas in Bắc Kạn (3 Nam Mẫu, 1 Đồng Thắng), 1 in Hà Tĩnh; 2024 — 2 in Nam Mẫu.

    2019: A accepted 2019-06-01, plan 2019-08-01, product Miến recognised 3★ 2020-05-01 → product from 2020
          B accepted 2019-06-10, plan 2020-03-01               → accepted in 2019, plan from 2020
          C returned
          D (Đồng Thắng) submitted
    2024: E accepted 2024-05-01; F submitted.  Hà Tĩnh: G accepted 2019-05-01 (another province)."""
    nam_mau, dong_thang, ha_tinh = world.entities.nam_mau, world.entities.dong_thang, world.entities.ha_tinh
    event_record(product=world.products.mien, stars=3, decision_date=D(2020, 5, 1))
    accepted = {"status": IdeaStatus.ACCEPTED}
    _idea(
        world,
        nam_mau,
        "A",
        2019,
        **accepted,
        accepted_on=D(2019, 6, 1),
        business_plan_on=D(2019, 8, 1),
        business_plan="Sản xuất 10 tấn/năm",
        product=world.products.mien,
    )
    _idea(
        world,
        nam_mau,
        "B",
        2019,
        **accepted,
        accepted_on=D(2019, 6, 10),
        business_plan_on=D(2020, 3, 1),
        business_plan="Mở xưởng",
    )
    _idea(world, nam_mau, "C", 2019, status=IdeaStatus.RETURNED, review_reason="Trùng sản phẩm đã có")
    _idea(world, dong_thang, "D", 2019)
    _idea(world, nam_mau, "E", 2024, **accepted, accepted_on=D(2024, 5, 1))
    _idea(world, nam_mau, "F", 2024)
    _idea(world, ha_tinh, "G", 2019, **accepted, accepted_on=D(2019, 5, 1))
    return world


def test_counts_by_year_as_of_any_day(ideas):
    communes = list(counted_communes(ideas.places.bac_kan))
    zero = {"registered": 0, "accepted": 0, "business_plan": 0, "product": 0, "returned": 0}
    assert idea_counts_by_year(commune_ids=communes, as_of=D(2019, 12, 31)) == {
        "2019": {**zero, "registered": 4, "accepted": 2, "business_plan": 1, "returned": 1}
    }
    assert idea_counts_by_year(commune_ids=communes, as_of=D(2025, 6, 30)) == {
        "2019": {**zero, "registered": 4, "accepted": 2, "business_plan": 2, "product": 1, "returned": 1},
        "2024": {**zero, "registered": 2, "accepted": 1},
    }


def test_ocop_stats_has_ideas_by_year_after_the_contract_keys(ideas):
    out = io.StringIO()
    call_command("stats", "--province", "Thái Nguyên", "--as-of", "2025-12-31", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert list(result)[-1] == "ideas_by_year" and list(result)[-2] == "targets"
    assert result["ideas_by_year"]["2019"]["registered"] == 4  # Bắc Kạn's ideas count in Thái Nguyên
    assert result["ideas_by_year"]["2024"] == {
        "registered": 2,
        "accepted": 1,
        "business_plan": 0,
        "product": 0,
        "returned": 0,
    }


def test_stage_of_each_idea_today(ideas):
    stages = {i.product_name: i.stage for i in idea_list(user=ideas.users.province)}
    assert stages == {
        "A": "product",
        "B": "business_plan",
        "C": "returned",
        "D": "submitted",
        "E": "accepted",
        "F": "submitted",
    }
    assert {i.product_name for i in idea_list(user=ideas.users.outsider)} == {"G"}
    assert {i.product_name for i in idea_list(user=ideas.users.producer)} == {"A", "B", "C", "E", "F"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"business_plan_on": D(2019, 8, 1), "business_plan": "x"}, "status"),  # not accepted yet
        (
            {
                "status": IdeaStatus.ACCEPTED,
                "accepted_on": D(2019, 6, 1),
                "business_plan_on": D(2019, 5, 1),
                "business_plan": "x",
            },
            "business_plan_on",
        ),
        ({"status": IdeaStatus.RETURNED}, "review_reason"),
        ({"year": 2015}, "year"),
        ({"status": IdeaStatus.ACCEPTED, "accepted_on": D(2030, 1, 1)}, "accepted_on"),
    ],
)
def test_bad_steps_are_refused_and_nothing_is_saved(world, data, field):
    with pytest.raises(ValidationError) as error:
        _idea(world, world.entities.nam_mau, "Sai", data.pop("year", 2019), **data)
    assert field in error.value.message_dict
    assert not ProductIdea.objects.exists()


def test_a_product_of_another_entity_is_refused(world):
    with pytest.raises(ValidationError, match="chính chủ thể"):
        _idea(
            world, world.entities.nam_mau, "Sai", 2019, status=IdeaStatus.ACCEPTED, product=world.products.che
        )


def test_outsider_cannot_register_for_an_entity_outside_scope(world):
    with pytest.raises(ScopeError):
        services.idea_register(
            user=world.users.outsider,
            data={
                "entity": world.entities.nam_mau,
                "product_name": "X",
                "product_set": _set(),
                "year": 2024,
                "description": "x",
                "status": IdeaStatus.SUBMITTED,
            },
        )
    assert not ProductIdea.objects.exists()


def test_pages_list_create_edit_export_and_outsider(client, ideas):
    client.force_login(ideas.users.province)
    page = client.get(reverse("ideas:list"), {"year": 2019}).content.decode()
    assert "Đã thành sản phẩm OCOP" in page and "Đã có phương án kinh doanh" in page
    response = client.post(
        reverse("ideas:create"),
        {
            "entity": ideas.entities.dong_thang.pk,
            "product_name": "Chè búp",
            "product_set": _set().pk,
            "kind": "new",
            "year": 2025,
            "description": "Chè búp khô",
            "status": IdeaStatus.SUBMITTED,
        },
    )
    idea = ProductIdea.objects.get(product_name="Chè búp")
    assert response.status_code == 302 and idea.commune == ideas.places.dong_thang
    assert AuditLog.objects.filter(model_label="evaluation.productidea", object_pk=str(idea.pk)).exists()
    response = client.post(
        reverse("ideas:edit", args=[idea.pk]),
        {
            "entity": idea.entity_id,
            "product_name": "Chè búp",
            "product_set": _set().pk,
            "kind": "new",
            "year": 2025,
            "description": "Chè búp khô",
            "status": IdeaStatus.ACCEPTED,
            "accepted_on": "2025-06-01",
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.accepted_on == D(2025, 6, 1) and idea.reviewed_by == ideas.users.province
    export = client.get(reverse("ideas:list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["A", "B", "C", "Chè búp", "D", "E", "F"]
    client.force_login(ideas.users.outsider)
    assert client.get(reverse("ideas:detail", args=[idea.pk])).status_code == 404
    assert client.get(reverse("ideas:edit", args=[idea.pk])).status_code == 404
    assert "Chè búp" not in client.get(reverse("ideas:list")).content.decode()
    client.force_login(ideas.users.producer)
    assert client.get(reverse("ideas:create")).status_code == 404
