import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ocop.certification.choices import CertificateStatus, EventKind
from ocop.certification.models import Certificate
from ocop.certification.services.events import event_record

D = dt.date


@pytest.mark.django_db
def test_history_builds_certificates(world):
    product = world.products.mien
    event_record(product=product, stars=3, decision_date=D(2020, 6, 1), decision_number="12/QĐ-UBND")
    up, created = event_record(product=product, stars=4, decision_date=D(2021, 9, 1), decision_number="88")
    assert created and up.kind == EventKind.UPGRADE
    again, created = event_record(product=product, stars=4, decision_date=D(2021, 9, 1), decision_number="88")
    assert not created and again.pk == up.pk
    first, second = Certificate.objects.filter(product=product).order_by("valid_from")
    assert first.ended_on == D(2021, 9, 1) and first.end_reason == CertificateStatus.SUPERSEDED
    assert second.valid_to == D(2024, 8, 31)
    assert second.status_on(D(2024, 8, 31)) == CertificateStatus.IN_FORCE
    assert second.status_on(D(2024, 9, 1)) == CertificateStatus.EXPIRED
    event_record(product=product, stars=None, kind=EventKind.REVOCATION, decision_date=D(2023, 1, 5))
    second.refresh_from_db()
    assert second.status_on(D(2023, 2, 1)) == CertificateStatus.REVOKED


@pytest.mark.django_db
def test_bad_lines_are_refused(world):
    product = world.products.che
    with pytest.raises(ValidationError, match="Thu hồi"):
        event_record(product=product, stars=None, kind=EventKind.REVOCATION, decision_date=D(2021, 1, 1))
    event_record(product=product, stars=4, decision_date=D(2020, 1, 1))
    with pytest.raises(ValidationError, match="cao hơn"):
        event_record(product=product, stars=3, kind=EventKind.UPGRADE, decision_date=D(2021, 1, 1))
    from decimal import Decimal

    with pytest.raises(ValidationError, match="khung 5 sao"):
        event_record(product=product, stars=5, score=Decimal("88"), decision_date=D(2022, 1, 1))
    assert product.events.count() == 1


@pytest.mark.django_db
def test_two_star_line_has_no_certificate(world):
    event_record(product=world.products.keo, stars=2, decision_date=D(2022, 1, 1))
    assert not Certificate.objects.filter(product=world.products.keo).exists()
