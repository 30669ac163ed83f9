from __future__ import annotations

import pytest
from django.core.management import call_command

from ocop.accounts.models import User
from ocop.demo.province import DEMO_PASSWORD, guess_set_number
from ocop.producers.models import Entity
from ocop.products.models import Product


@pytest.mark.django_db
def test_demo_data_loads_once_and_users_see_their_scope(client, capsys):
    call_command("demo_data")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    counts = (Entity.objects.count(), Product.objects.count(), User.objects.count())
    assert counts[0] > 30 and counts[1] > 45 and counts[2] == 7
    from ocop.certification.models import RecognitionEvent

    events = RecognitionEvent.objects.count()
    assert events > 30
    call_command("demo_data")
    assert (Entity.objects.count(), Product.objects.count(), User.objects.count()) == counts
    assert RecognitionEvent.objects.count() == events
    tai_hoan_events = RecognitionEvent.objects.filter(product__name="Miến dong Tài Hoan").order_by(
        "decision_date"
    )
    assert [e.stars for e in tai_hoan_events][-1] == 5
    tai_hoan = Entity.objects.get(name="HTX Tài Hoan")
    assert tai_hoan.commune.short_name == "Côn Minh"
    assert Product.objects.filter(entity=tai_hoan, name="Miến dong Tài Hoan").count() == 1
    for username in ["admin", "tinh", "huyen", "xa", "hoidong", "chuthe", "bo"]:
        assert client.login(username=username, password=DEMO_PASSWORD), username
    producer = User.objects.get(username="chuthe")
    assert set(Product.objects.for_user(producer).values_list("entity_id", flat=True)) == {tai_hoan.pk}
    province = User.objects.get(username="tinh")
    assert Product.objects.for_user(province).count() == counts[1]


def test_set_guesses():
    assert guess_set_number("Miến dong Tài Hoan") == 6
    assert guess_set_number("Rượu men lá Bằng Phúc") == 14
    assert guess_set_number("Quỳnh Mai homestay") == 26


@pytest.mark.django_db
def test_demo_data_holds_ideas_an_inspection_plan_and_grants_entered_through_the_services():
    import datetime as dt

    from ocop.core.models import AuditLog
    from ocop.demo.programme import load_demo_programme
    from ocop.evaluation.models import ProductIdea
    from ocop.funding.models import Grant, Policy
    from ocop.inspections.models import Inspection
    from ocop.inspections.selectors import overdue_inspections

    call_command("demo_data")
    officer = User.objects.get(username="tinh")
    counts = ProductIdea.objects.count(), Inspection.objects.count(), Grant.objects.count()
    assert counts == (12, 6, 6)
    ideas, inspections, grants = counts
    assert ProductIdea.objects.filter(product__isnull=False).count() == 4
    assert Inspection.objects.exclude(verdict="").count() == 3
    assert list(overdue_inspections(user=officer, today=dt.date.today()))
    assert Policy.objects.get().items.count() == 2
    assert AuditLog.objects.filter(user=officer).count() >= ideas + inspections + grants
    assert load_demo_programme(officer=officer) == 0
    assert (ProductIdea.objects.count(), Inspection.objects.count(), Grant.objects.count()) == (12, 6, 6)


@pytest.mark.django_db
def test_demo_programme_fits_a_plan_year_at_its_very_start():
    import datetime as dt

    from ocop.demo.programme import load_demo_programme
    from ocop.inspections.models import Inspection

    call_command("demo_data")
    from ocop.funding.models import Grant, Policy
    from ocop.inspections.models import InspectionPlan

    Grant.objects.all().delete()
    Policy.objects.all().delete()
    Inspection.objects.all().delete()
    InspectionPlan.objects.all().delete()
    today = dt.date(dt.date.today().year, 1, 2)
    assert load_demo_programme(officer=User.objects.get(username="tinh"), today=today) > 0
    assert {i.due_date.year for i in Inspection.objects.all()} == {today.year}
