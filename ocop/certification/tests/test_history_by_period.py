"""History stays truthful: decisions already issued are typed in with the issuer of their date (a district
abolished on 01/07/2025 stays the issuer of what it issued, and its certificates stay valid to their end)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ocop.certification.documents import revocation_decision
from ocop.certification.models import Certificate, RecognitionEvent
from ocop.certification.services.events import event_record, recognition_record, revocation_decide
from ocop.evaluation.tests.helpers import pdf_text

pytestmark = pytest.mark.django_db


def test_a_province_officer_types_in_a_2024_district_decision_with_the_district_as_issuer(world):
    event = recognition_record(
        user=world.users.province,
        product=world.products.mien,
        stars=3,
        number="15/QĐ-UBND",
        date=dt.date(2024, 5, 2),
        signer="Hoàng Văn B",
    )
    assert event.issuing_level == "district" and "ghi thay UBND cấp huyện" in event.source
    certificate = Certificate.objects.get(event=event)
    assert certificate.status_on(dt.date(2026, 12, 7)) == "in_force"
    assert certificate.status_on(dt.date(2027, 5, 2)) == "expired"


def test_what_may_be_typed_in_follows_the_level_of_the_decisions_date(world):
    product = world.products.mien
    record = recognition_record
    assert (
        record(
            user=world.users.province, product=product, stars=3, number="1", date=dt.date(2026, 1, 5)
        ).issuing_level
        == "province"
    )
    with pytest.raises(ValidationError, match="cấp trung ương"):
        record(user=world.users.province, product=product, stars=5, number="2", date=dt.date(2026, 2, 5))
    with pytest.raises(ValidationError, match="1489/QĐ-TTg.*chỉ cán bộ cấp tỉnh"):
        record(user=world.users.district, product=product, stars=4, number="3", date=dt.date(2026, 3, 5))
    with pytest.raises(ValidationError, match="3, 4 hoặc 5 sao"):
        record(user=world.users.province, product=product, stars=2, number="4", date=dt.date(2026, 3, 5))
    with pytest.raises(ValidationError, match="1048/QĐ-TTg"):
        record(user=world.users.province, product=product, stars=3, number="5", date=dt.date(2019, 1, 5))
    with pytest.raises(PermissionDenied):
        record(user=world.users.ministry, product=product, stars=5, number="6", date=dt.date(2026, 3, 5))
    assert RecognitionEvent.objects.count() == 1


def test_record_page_asks_once_and_the_certificate_names_the_district(client, world):
    product = world.products.mien
    url = reverse("certification:recognition_record", args=[product.pk])
    client.force_login(world.users.province)
    assert url in client.get(product.get_absolute_url()).content.decode()
    data = {"stars": "3", "number": "15/QĐ-UBND", "date": "2024-05-02", "signer": "Hoàng Văn B"}
    asked = client.post(url, data).content.decode()
    assert "Ủy ban nhân dân huyện Ba Bể" in asked and "Bạn ghi thay" in asked
    assert not RecognitionEvent.objects.exists()
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    certificate = Certificate.objects.get()
    listing = client.get(
        reverse("certification:certificate_list"), {"trang_thai": "in_force"}
    ).content.decode()
    assert "UBND huyện Ba Bể" in listing and "cấp huyện không còn từ 01/07/2025" in listing
    pdf = client.get(reverse("certification:certificate_pdf", args=[certificate.pk]))
    text = pdf_text(pdf.content)
    assert "ỦY BAN NHÂN DÂN HUYỆN BA BỂ" in text and "Quyết định số 148/QĐ-TTg" in text
    assert "Chủ tịch Ủy ban nhân dân huyện Ba Bể" in text and "1489/QĐ-TTg" not in text
    refused = client.post(url, {**data, "stars": "5", "number": "16", "confirmed": "1"}).content.decode()
    assert "cấp trung ương" in refused and RecognitionEvent.objects.count() == 1
    client.force_login(world.users.producer)
    assert client.get(url).status_code == 403
    client.force_login(world.users.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("certification:certificate_pdf", args=[certificate.pk])).status_code == 404


def test_a_revocation_is_issued_by_the_level_that_recognises_the_star_on_its_date(world):
    product = world.products.mien
    event_record(product=product, stars=3, decision_date=dt.date(2024, 5, 2), decision_number="15")
    with pytest.raises(ValidationError, match="cấp huyện"):
        revocation_decide(
            user=world.users.commune, product=product, number="9", date=dt.date(2025, 3, 1), reason="Ngừng"
        )
    event = revocation_decide(
        user=world.users.province,
        product=product,
        number="9/QĐ-UBND",
        date=dt.date(2025, 3, 1),
        reason="Ngừng",
    )
    assert event.issuing_level == "district"  # typed for the district that recognised it, before the reform
    text = revocation_decision([event]).text
    assert "ỦY BAN NHÂN DÂN HUYỆN BA BỂ" in text and "Quyết định số 148/QĐ-TTg" in text
