"""Recognised products on top of the shared `world`: in force, expired and revoked."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ocop import testing
from ocop.certification.choices import EventKind
from ocop.certification.services.events import event_record


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


@pytest.fixture
def market(portal):
    """Points of sale and fairs around the portal's products (issue 23).

    chora: open showroom in Chợ Rã (no own coordinates) carrying mien (in force), keo (expired) and ruou
    (revoked); closed: a point closed yesterday; hatinh: open point with its own coordinates in Hà Tĩnh.
    upcoming: the Ba Bể fair in 20 days (12 booths, mien entered); past: a 2023 fair of HTX Đồng Thắng
    (no products entered: its products in force are shown)."""
    from ocop.support.models import FairParticipation, PointOfSale, TradeFair

    today = timezone.localdate()
    places = portal.world.places
    chora = PointOfSale.objects.create(
        name="Showroom OCOP Chợ Rã",
        kind="showroom",
        commune=places.cho_ra,
        address="Tổ 5, thị trấn Chợ Rã",
        opening_notes="7:30–17:00 hằng ngày",
        opened_on=today - dt.timedelta(days=400),
    )
    chora.products.set([portal.mien, portal.keo, portal.ruou])
    closed = PointOfSale.objects.create(
        name="Điểm bán đã đóng cửa",
        commune=places.nam_mau,
        address="Nam Mẫu",
        opened_on=today - dt.timedelta(days=400),
        closed_on=today - dt.timedelta(days=1),
    )
    closed.products.set([portal.mien])
    hatinh = PointOfSale.objects.create(
        name="Cửa hàng đặc sản Hà Tĩnh",
        commune=places.ha_tinh_commune,
        address="12 Phan Đình Phùng",
        latitude=18.34,
        longitude=105.90,
        opened_on=today - dt.timedelta(days=30),
    )
    hatinh.products.set([portal.keo])
    upcoming = TradeFair.objects.create(
        name="Hội chợ OCOP Ba Bể",
        level="province",
        commune=places.nam_mau,
        venue="Bờ hồ Ba Bể",
        organiser="Sở Công Thương",
        booths=12,
        start_date=today + dt.timedelta(days=20),
        end_date=today + dt.timedelta(days=23),
    )
    FairParticipation.objects.create(fair=upcoming, entity=portal.world.entities.nam_mau, sales_vnd=5_123_000)
    upcoming.products.set([portal.mien])
    past = TradeFair.objects.create(
        name="Hội chợ OCOP 2023",
        level="region",
        commune=places.dong_thang,
        venue="Hà Nội",
        start_date=dt.date(2023, 10, 1),
        end_date=dt.date(2023, 10, 5),
    )
    FairParticipation.objects.create(fair=past, entity=portal.world.entities.dong_thang)
    return SimpleNamespace(
        portal=portal, chora=chora, closed=closed, hatinh=hatinh, upcoming=upcoming, past=past
    )
