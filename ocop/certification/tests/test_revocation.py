"""Revocation by decision with a reason: the rule, the page, the decision documents."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ocop.certification.choices import CertificateStatus, EventKind
from ocop.certification.models import Certificate, RecognitionEvent
from ocop.certification.services.events import event_record, revocation_decide

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def recognised(world, product=None, day=dt.date(2025, 3, 1), stars=4):
    product = product or world.products.mien
    event_record(product=product, stars=stars, decision_date=day, decision_number="1/QĐ-UBND")
    return product


def test_revocation_ends_the_certificate_and_keeps_the_reason(world):
    product = recognised(world)
    event = revocation_decide(
        user=world.users.province,
        product=product,
        number="77/QĐ-UBND",
        date=dt.date(2026, 5, 4),
        reason="Vi phạm an toàn thực phẩm",
        signer="Nguyễn Văn A",
        today=TODAY,
    )
    assert (event.kind, event.reason, event.signer) == (
        EventKind.REVOCATION,
        "Vi phạm an toàn thực phẩm",
        "Nguyễn Văn A",
    )
    certificate = Certificate.objects.get(product=product)
    assert certificate.ended_on == dt.date(2026, 5, 4)
    assert certificate.end_reason == CertificateStatus.REVOKED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"number": " "}, "number"),
        ({"reason": ""}, "reason"),
        ({"date": dt.date(2026, 12, 1)}, "date"),
    ],
)
def test_revocation_needs_number_reason_and_a_past_date(world, fields, field):
    product = recognised(world)
    data = {"number": "77/QĐ-UBND", "date": dt.date(2026, 5, 4), "reason": "Ngừng sản xuất"} | fields
    with pytest.raises(ValidationError) as error:
        revocation_decide(user=world.users.province, product=product, today=TODAY, **data)
    assert field in error.value.message_dict
    assert not RecognitionEvent.objects.filter(kind=EventKind.REVOCATION).exists()


def test_only_the_level_the_periods_table_names_revokes(world):
    product = recognised(world)
    data = {"number": "77/QĐ-UBND", "date": dt.date(2026, 5, 4), "reason": "Ngừng sản xuất", "today": TODAY}
    with pytest.raises(PermissionDenied):
        revocation_decide(user=world.users.outsider, product=product, **data)
    for user in (world.users.commune, world.users.producer):
        with pytest.raises(ValidationError, match="1489/QĐ-TTg"):
            revocation_decide(user=user, product=product, **data)
    assert not RecognitionEvent.objects.filter(kind=EventKind.REVOCATION).exists()


def test_revoking_what_is_not_recognised_is_refused(world):
    with pytest.raises(ValidationError, match="không đang được công nhận"):
        revocation_decide(
            user=world.users.province,
            product=world.products.mien,
            number="77/QĐ-UBND",
            date=dt.date(2026, 5, 4),
            reason="x",
            today=TODAY,
        )


def test_revocation_page_and_documents(client, world):
    product = recognised(world, day=dt.date(2025, 3, 1))
    client.force_login(world.users.province)
    detail = client.get(product.get_absolute_url()).content.decode()
    url = reverse("certification:revocation_create", args=[product.pk])
    assert url in detail
    response = client.post(url, {"number": "", "date": "2026-05-04", "reason": ""})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"number", "reason"}
    assert not RecognitionEvent.objects.filter(kind=EventKind.REVOCATION).exists()
    posted = {"number": "77/QĐ-UBND", "date": "2026-05-04", "reason": "Ngừng sản xuất", "signer": "Lê B"}
    # First the page saying what will happen (the certificate it ends), nothing recorded yet; then it is done.
    asked = client.post(url, posted)
    lines = asked.content.decode()
    assert asked.status_code == 200 and "Xác nhận thu hồi" in lines and "không hoàn tác được" in lines
    assert "Chấm dứt hiệu lực từ ngày 04/05/2026: giấy chứng nhận" in lines and "Ngừng sản xuất" in lines
    assert not RecognitionEvent.objects.filter(kind=EventKind.REVOCATION).exists()
    response = client.post(url, {**posted, "confirmed": "1"})
    assert response.status_code == 302
    assert "Ngừng sản xuất" in client.get(product.get_absolute_url()).content.decode()
    listing = client.get(reverse("certification:revocation_list")).content.decode()
    assert "77/QĐ-UBND" in listing and product.name in listing
    query = "?so=77/QĐ-UBND&ngay=2026-05-04"
    pdf = client.get(reverse("certification:revocation_document", args=["pdf"]) + query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("certification:revocation_document", args=["docx"]) + query)
    from docx import Document

    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(docx.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert product.name in text and "Ngừng sản xuất" in text and "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN" in text
    # Revoked: the button is gone; outsiders never see the decision.
    assert url not in client.get(product.get_absolute_url()).content.decode()
    client.force_login(world.users.outsider)
    assert client.get(reverse("certification:revocation_document", args=["pdf"]) + query).status_code == 404
    assert "77/QĐ-UBND" not in client.get(reverse("certification:revocation_list")).content.decode()


def test_revocation_page_refuses_those_who_cannot_revoke(client, world):
    product = recognised(world)
    url = reverse("certification:revocation_create", args=[product.pk])
    client.force_login(world.users.producer)
    assert client.get(url).status_code == 403
    assert url not in client.get(product.get_absolute_url()).content.decode()
    client.force_login(world.users.outsider)
    assert client.get(url).status_code == 404
