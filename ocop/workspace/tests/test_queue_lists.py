"""Queue entries that lead to tabbed lists: the count on the home is the count of the tab it opens, scoped."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from ocop.core.queues import work_queue
from ocop.portal.models import Feedback
from ocop.traceability.choices import AlertKind
from ocop.traceability.models import StampAlert

pytestmark = pytest.mark.django_db


def _entry(user, label: str):
    return next(e for e in work_queue(user=user, today=timezone.localdate()) if e.label == label)


def test_feedback_to_answer_counted_for_its_province_and_opens_on_the_new_tab(client, world):
    Feedback.objects.create(
        product=world.products.mien, kind="quality", message="Miến bị ẩm.", status="answered"
    )
    Feedback.objects.create(product=world.products.mien, kind="quality", message="Bao bì rách.")
    entry = _entry(world.users.province, "Phản ánh của người dân chờ trả lời")
    assert entry.count == 1
    assert _entry(world.users.outsider, "Phản ánh của người dân chờ trả lời").count == 0
    client.force_login(world.users.province)
    response = client.get(entry.url)
    assert response.context["status"] == "new" and [f.message for f in response.context["page"]] == [
        "Bao bì rách."
    ]
    tabs = {tab.key: tab.count for tab in response.context["tabs"]}
    assert tabs == {"new": 1, "answered": 1, "rejected": 0, "tat-ca": 2}
    client.force_login(world.users.outsider)
    assert client.get(reverse("portal_staff:moderation_list")).context["tabs"][-1].count == 0


def test_moderation_opens_on_answered_when_nothing_is_new(client, world):
    Feedback.objects.create(
        product=world.products.mien, kind="quality", message="Đã xử lý.", status="answered"
    )
    client.force_login(world.users.province)
    assert client.get(reverse("portal_staff:moderation_list")).context["status"] == "answered"


def test_open_stamp_alerts_counted_in_scope_and_listed(client, world):
    StampAlert.objects.create(kind=AlertKind.values[0], key="a1", product=world.products.mien)
    StampAlert.objects.create(kind=AlertKind.values[0], key="a2", product=world.products.keo)
    assert _entry(world.users.province, "Cảnh báo tem chưa xử lý").count == 1
    assert _entry(world.users.outsider, "Cảnh báo tem chưa xử lý").count == 1
    client.force_login(world.users.province)
    response = client.get(reverse("traceability:alert_list"))
    assert {tab.key: tab.count for tab in response.context["tabs"]} == {"open": 1, "resolved": 0, "all": 1}
    assert response.context["state"] == "open"
