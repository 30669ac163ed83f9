"""The check behind "every service that writes also audits" (ocop/audit_watch.py) catches what it should."""

from __future__ import annotations

import importlib

import pytest

from ocop import audit_watch
from ocop.core.audit import audit_create
from ocop.core.models import AuditLog
from ocop.geography.models import AdminUnit
from ocop.producers.models import Entity

pytestmark = pytest.mark.django_db


def _entity_saved(commune: AdminUnit, *, audited: bool, user=None) -> Entity:
    entity = Entity(name="HTX kiểm tra nhật ký", entity_type="htx", commune=commune)
    entity.save()
    if audited:
        audit_create(user=user, instance=entity)
    return entity


def test_every_services_module_is_watched():
    from ocop.evaluation.services import scoring
    from ocop.producers import services

    assert getattr(services.entity_create, "__audit_watched__", False)
    assert getattr(scoring.score_save, "__audit_watched__", False)  # a module of a services package
    names = {f"{m.__name__}.{n}" for m, n, _f in audit_watch.service_functions()}
    assert len(names) > 60


def test_a_write_without_audit_row_is_reported(places):
    silent = audit_watch._watched("ocop.fake.services.silent", _entity_saved)
    silent(places.nam_mau, audited=False)
    found, audit_watch.violations[:] = list(audit_watch.violations), []
    assert found == ["ocop.fake.services.silent wrote producers_entity without an audit row"]


def test_a_write_with_its_audit_row_passes(places):
    careful = audit_watch._watched("ocop.fake.services.careful", _entity_saved)
    careful(places.nam_mau, audited=True)
    assert audit_watch.violations == []
    assert AuditLog.objects.filter(model_label="producers.entity").exists()


def test_a_service_called_by_another_is_judged_with_it(places):
    def outer(commune):
        entity = inner(commune, audited=False)
        audit_create(user=None, instance=entity)

    inner = audit_watch._watched("ocop.fake.services.inner", _entity_saved)
    audit_watch._watched("ocop.fake.services.outer", outer)(places.nam_mau)
    assert audit_watch.violations == []


def test_a_failed_service_is_not_reported(places):
    def failing(commune):
        _entity_saved(commune, audited=False)
        raise ValueError("refused")

    with pytest.raises(ValueError):
        audit_watch._watched("ocop.fake.services.failing", failing)(places.nam_mau)
    assert audit_watch.violations == []


def test_every_exemption_names_a_service_that_exists():
    for qualname in audit_watch.EXEMPT:
        module, _, name = qualname.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name, None)), qualname
