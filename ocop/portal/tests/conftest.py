"""Recognised products on top of the shared `world`: in force, expired and revoked."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ocop import testing
from ocop.certification.choices import EventKind
from ocop.certification.services import event_record


def recognise(product, stars: int, days_ago: int, number: str = ""):
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    event, _ = event_record(product=product, stars=stars, decision_date=day, decision_number=number)
    return event


@pytest.fixture
def portal(world):
    """mien 4★, che 5★ and homestay 3★ (group VI) in force; keo 3★ expired (4 years ago);
    ruou revoked; banh never recognised."""
    p = world.products
    recognise(p.mien, 4, 100, "123/QĐ-UBND")
    recognise(p.che, 5, 30, "456/QĐ-UBND")
    recognise(p.keo, 3, 4 * 365 + 10, "789/QĐ-UBND")
    ruou = testing.make_product(entity=world.entities.dong_thang, name="Rượu men lá Đồng Thắng", set_number=2)
    recognise(ruou, 3, 400, "11/QĐ-UBND")
    event_record(
        product=ruou,
        stars=None,
        kind=EventKind.REVOCATION,
        decision_date=timezone.localdate() - dt.timedelta(days=10),
        decision_number="12/QĐ-UBND",
    )
    banh = testing.make_product(entity=world.entities.nam_mau, name="Bánh khảo Nam Mẫu")
    homestay = testing.make_product(
        entity=world.entities.nam_mau, name="Điểm du lịch cộng đồng Pác Ngòi", set_number=26
    )
    recognise(homestay, 3, 200, "99/QĐ-UBND")
    return SimpleNamespace(world=world, ruou=ruou, banh=banh, homestay=homestay, **vars(p))
