"""Counterfeit alerts reach the producer and the province by e-mail, once, one message per product."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from ocop.traceability.alerts import alerts_mail_send
from ocop.traceability.choices import AlertKind
from ocop.traceability.models import StampAlert
from ocop.traceability.scanlog import probing_alert

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def addresses(world):
    for user, email in (
        (world.users.producer, "htx@example.vn"),
        (world.users.province, "ocop@thainguyen.gov.vn"),
        (world.users.outsider, "ocop@hatinh.gov.vn"),
    ):
        user.email = email
        user.save()
    world.users.admin.email = "quantri@ocop.gov.vn"
    world.users.admin.save()


def test_new_alerts_go_to_the_producer_and_covering_officers_once(
    client, world, issue, addresses, django_capture_on_commit_callbacks
):
    codes = issue(2, active=False)
    for code in codes:  # scans before activation: one alert per stamp
        assert client.get(f"/api/v1/stamps/{code}").status_code == 200
    assert StampAlert.objects.filter(kind=AlertKind.BEFORE_ACTIVATION).count() == 2

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert alerts_mail_send() == 2
    assert mail.outbox == []  # the mail leaves only after the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1  # one message for the product's two alerts
    message = mail.outbox[0]
    assert message.subject == "[OCOP] Cảnh báo tem: Miến dong Nam Mẫu"
    assert sorted(message.to) == ["htx@example.vn", "ocop@thainguyen.gov.vn"]
    assert all(code in message.body for code in codes)
    assert "Quét khi tem chưa được kích hoạt" in message.body
    assert set(StampAlert.objects.values_list("emailed_to", flat=True).distinct()[0]) == set(message.to)
    assert alerts_mail_send() == 0  # sent once


def test_probing_alerts_go_to_administrators(world, addresses, django_capture_on_commit_callbacks):
    probing_alert("abcdef0123456789", 60)
    with django_capture_on_commit_callbacks(execute=True):
        assert alerts_mail_send() == 1
    assert [m.to for m in mail.outbox] == [["quantri@ocop.gov.vn"]]
    assert "60 lượt hỏi mã không tồn tại" in mail.outbox[0].body


def test_resolved_alerts_are_not_mailed_and_the_command_reports(world, issue, addresses, capsys):
    from django.test import Client

    from ocop.traceability import services

    code = issue(1, active=False)[0]
    Client().get(f"/api/v1/stamps/{code}")
    alert = StampAlert.objects.get()
    services.alert_resolve(user=world.users.province, alert=alert)
    call_command("send_stamp_alerts")
    assert "Đã gửi 0 cảnh báo tem qua thư." in capsys.readouterr().out
    assert mail.outbox == []
