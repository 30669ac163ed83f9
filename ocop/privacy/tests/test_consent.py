"""Consent to show the representative and phone on the public portal: who may record it, the rules on
dates and evidence, the audit trail, withdrawal, and what the public entity page shows as a result."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ocop.core.errors import ScopeError
from ocop.core.models import AuditLog
from ocop.portal.cache import portal_version
from ocop.portal.tests.conftest import portal  # noqa: F401  (fixture: recognised products)
from ocop.privacy.models import PublicConsent
from ocop.privacy.services import consent_record, consent_withdraw, person_erase

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PHONE = "0912345678"
REPRESENTATIVE = "Nguyễn Thị Mến"


@pytest.fixture
def entity(world):
    entity = world.entities.nam_mau
    entity.representative = REPRESENTATIVE
    entity.save()
    return entity


def _record(user, entity, **overrides):
    values = {
        "show_representative": True,
        "show_phone": True,
        "given_on": TODAY,
        "evidence": "Phiếu đồng ý số 12/2026",
    }
    return consent_record(user=user, entity=entity, **(values | overrides))


# -- service rules ------------------------------------------------------------------------------------
def test_own_producer_records_without_evidence(world, entity):
    consent = _record(world.users.producer, entity, evidence="")
    assert consent.show_phone and consent.recorded_by == world.users.producer


@pytest.mark.parametrize("role", ["commune", "district", "province", "province_legacy", "admin"])
def test_officers_in_scope_record_with_evidence(world, entity, role):
    user = getattr(world.users, role)
    with pytest.raises(ValidationError) as refused:
        _record(user, entity, evidence="  ")
    assert "evidence" in refused.value.error_dict
    assert not PublicConsent.objects.exists()
    consent = _record(user, entity)
    assert consent.evidence == "Phiếu đồng ý số 12/2026" and consent.recorded_by == user


@pytest.mark.parametrize("role", ["outsider", "council"])
def test_outside_scope_refused(world, entity, role):
    with pytest.raises(ScopeError):
        _record(getattr(world.users, role), entity)
    assert not PublicConsent.objects.exists()


def test_other_producer_refused(world):
    with pytest.raises(ScopeError):
        _record(world.users.producer, world.entities.dong_thang)


def test_date_required_and_not_in_future(world, entity):
    for day in (None, TODAY + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            _record(world.users.commune, entity, given_on=day)
        assert "given_on" in refused.value.error_dict
    assert _record(world.users.commune, entity, given_on=TODAY - dt.timedelta(days=400))


def test_record_change_and_withdrawal_are_audited(world, entity):
    user = world.users.commune
    consent = _record(user, entity, show_phone=False)
    created = AuditLog.objects.get(model_label="privacy.publicconsent", action="create")
    assert created.username == "xa-nammau" and created.commune_id == entity.commune_id

    _record(user, entity, show_phone=True)
    updated = AuditLog.objects.get(model_label="privacy.publicconsent", action="update")
    assert updated.changes["show_phone"] == [False, True]

    assert _record(user, entity, show_representative=False, show_phone=False) is None  # both off: withdrawn
    assert not PublicConsent.objects.filter(pk=consent.pk).exists()
    assert AuditLog.objects.filter(model_label="privacy.publicconsent", action="delete").count() == 1

    _record(user, entity)
    consent_withdraw(user=world.users.producer, entity=entity)  # withdrawal asks for no evidence
    assert not PublicConsent.objects.exists()
    consent_withdraw(user=world.users.producer, entity=entity)  # nothing to withdraw: no error, no audit
    assert AuditLog.objects.filter(model_label="privacy.publicconsent", action="delete").count() == 2
    with pytest.raises(ScopeError):
        consent_withdraw(user=world.users.outsider, entity=entity)


# -- management page ----------------------------------------------------------------------------------
def _url(entity) -> str:
    return f"/quan-ly/du-lieu-ca-nhan/cong-khai/{entity.pk}/"


def test_entity_page_links_to_consent(client, world, entity):
    client.force_login(world.users.commune)
    html = client.get(entity.get_absolute_url()).content.decode()
    assert _url(entity) in html and "Đồng ý công khai thông tin liên hệ" in html


def test_page_get_and_post(client, world, entity):
    client.force_login(world.users.commune)
    page = client.get(_url(entity))
    html = page.content.decode()
    assert page.status_code == 200 and "Đồng ý công khai thông tin liên hệ" in html
    assert REPRESENTATIVE in html and PHONE in html and 'name="csrfmiddlewaretoken"' in html
    assert "Chưa có đồng ý" in html

    missing = client.post(_url(entity), {"show_phone": "on", "given_on": TODAY.isoformat()})
    assert missing.status_code == 200 and "phải ghi căn cứ" in missing.content.decode()
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    late = client.post(_url(entity), {"show_phone": "on", "given_on": future, "evidence": "Phiếu 1"})
    assert "không được ở tương lai" in late.content.decode()
    assert not PublicConsent.objects.exists()

    saved = client.post(
        _url(entity), {"show_phone": "on", "given_on": TODAY.isoformat(), "evidence": "Phiếu 1"}, follow=True
    )
    assert "Đã ghi nhận đồng ý" in saved.content.decode()
    consent = PublicConsent.objects.get(entity=entity)
    assert consent.show_phone and not consent.show_representative and consent.evidence == "Phiếu 1"

    withdrawn = client.post(_url(entity), {"withdraw": "1"}, follow=True)
    assert "Đã rút lại đồng ý" in withdrawn.content.decode()
    assert not PublicConsent.objects.exists()


def test_page_404_outside_scope(client, world, entity):
    for role in ("outsider", "council"):
        client.force_login(getattr(world.users, role))
        assert client.get(_url(entity)).status_code == 404
        assert client.post(_url(entity), {"withdraw": "1"}).status_code == 404
    client.force_login(world.users.producer)
    assert client.get(_url(world.entities.dong_thang)).status_code == 404
    assert client.get(_url(entity)).status_code == 200
    client.logout()
    assert client.get(_url(entity)).status_code == 302


# -- public portal ------------------------------------------------------------------------------------
def _public(client, entity):
    response = client.get(f"/chu-the-ocop/{entity.pk}/", follow=True)
    assert response.status_code == 200
    return response


def _json_ld(html: str) -> dict:
    return json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])


def test_portal_shows_contact_only_with_consent(client, portal, entity):  # noqa: F811
    html = _public(client, entity).content.decode()
    assert PHONE not in html and REPRESENTATIVE not in html and "telephone" not in _json_ld(html)

    _record(portal.world.users.commune, entity, show_representative=False)
    html = _public(client, entity).content.decode()
    assert f'href="tel:{PHONE}"' in html and REPRESENTATIVE not in html
    assert _json_ld(html)["telephone"] == PHONE
    assert "006123456789" not in html  # the ID number is never public

    _record(portal.world.users.commune, entity, show_phone=False)
    html = _public(client, entity).content.decode()
    assert REPRESENTATIVE in html and PHONE not in html and "telephone" not in _json_ld(html)


def test_cached_page_follows_consent_and_withdrawal(client, portal, entity, page_cache):  # noqa: F811
    assert _public(client, entity)["X-Portal-Cache"] == "miss"
    hit = _public(client, entity)
    assert hit["X-Portal-Cache"] == "hit" and PHONE not in hit.content.decode()

    before = portal_version()
    _record(portal.world.users.producer, entity, evidence="")
    assert portal_version() > before
    shown = _public(client, entity)
    assert shown["X-Portal-Cache"] == "miss" and PHONE in shown.content.decode()
    assert _public(client, entity)["X-Portal-Cache"] == "hit"

    consent_withdraw(user=portal.world.users.producer, entity=entity)
    hidden = _public(client, entity)
    assert hidden["X-Portal-Cache"] == "miss"
    assert PHONE not in hidden.content.decode() and REPRESENTATIVE not in hidden.content.decode()


def test_erasure_deletes_consent_and_portal_stops_showing(client, portal, entity, page_cache):  # noqa: F811
    _record(portal.world.users.commune, entity)
    assert PHONE in _public(client, entity).content.decode()
    assert _public(client, entity)["X-Portal-Cache"] == "hit"

    person_erase(user=portal.world.users.admin, label="producers.entity", pk=entity.pk)
    assert not PublicConsent.objects.filter(entity=entity).exists()
    html = _public(client, entity).content.decode()
    assert PHONE not in html and REPRESENTATIVE not in html and "đã xoá theo yêu cầu" not in html
    assert "Người đại diện" not in html and "Điện thoại" not in html


# -- the consent covers the person and number it was given for -----------------------------------------
def test_consent_needs_the_data_on_file(world):
    entity = world.entities.dong_thang  # no representative, no phone on file
    with pytest.raises(ValidationError) as refused:
        _record(world.users.province, entity)
    assert {"show_representative", "show_phone"} <= set(refused.value.error_dict)


def test_consented_values_masked_in_audit(world, entity):
    _record(world.users.commune, entity)
    created = AuditLog.objects.get(model_label="privacy.publicconsent", action="create")
    assert PHONE not in json.dumps(created.changes, ensure_ascii=False)
    assert REPRESENTATIVE not in json.dumps(created.changes, ensure_ascii=False)


def test_new_representative_or_phone_is_not_shown_until_consent_again(client, portal, entity):  # noqa: F811
    from ocop.producers.services import entity_update

    officer = portal.world.users.commune
    _record(officer, entity)
    entity = entity_update(user=officer, entity=entity, data={"phone": "0987 654 321"})
    html = _public(client, entity).content.decode()
    assert "0987" not in html and PHONE not in html and REPRESENTATIVE in html
    client.force_login(officer)
    assert "đã thay đổi sau ngày đồng ý" in client.get(_url(entity)).content.decode()

    entity_update(user=officer, entity=entity, data={"representative": "Hoàng Văn Pác"})
    client.logout()
    html = _public(client, entity).content.decode()
    assert "Hoàng Văn Pác" not in html and REPRESENTATIVE not in html

    _record(officer, entity)  # the new representative consents
    html = _public(client, entity).content.decode()
    assert "Hoàng Văn Pác" in html and 'href="tel:0987654321"' in html


def test_json_ld_cannot_be_closed_by_typed_text(client, portal, entity):  # noqa: F811
    from ocop.producers.models import Entity

    Entity.objects.filter(pk=entity.pk).update(address="Thôn </script><script>alert(1)</script>")
    html = _public(client, entity).content.decode()
    data = _json_ld(html)
    assert data["address"]["streetAddress"] == "Thôn </script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html
