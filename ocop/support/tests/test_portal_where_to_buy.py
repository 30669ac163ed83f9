"""The public product page lists open points of sale and listings checked alive recently ("Nơi mua")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ocop.certification.services.events import event_record
from ocop.portal.models import PortalListing
from ocop.support import services
from ocop.support.kinds import KINDS

pytestmark = pytest.mark.django_db


def test_product_page_where_to_buy(client, world):
    today = timezone.localdate()
    mien = world.products.mien
    event_record(product=mien, stars=4, decision_date=today - dt.timedelta(days=100))
    officer = world.users.province
    commune = world.places.nam_mau_successor

    def outlet(name, **dates):
        return services.record_create(
            user=officer,
            kind=KINDS["diem-ban"],
            data={
                "name": name,
                "commune": commune,
                "address": f"Địa chỉ {name}",
                "products": [mien],
                **dates,
            },
        )

    outlet("Điểm mở", opened_on=today - dt.timedelta(days=300), latitude=22.4, longitude=105.6)
    outlet("Điểm đã đóng", opened_on=today - dt.timedelta(days=300), closed_on=today)
    outlet("Điểm sắp mở", opened_on=today + dt.timedelta(days=3))
    for platform, checked in [("postmart", 10), ("shopee", 400)]:
        services.record_create(
            user=officer,
            kind=KINDS["thuong-mai-dien-tu"],
            data={
                "product": mien,
                "platform": platform,
                "url": f"https://{platform}.vn/mien",
                "listed_on": today - dt.timedelta(days=500),
                "checked_alive_on": today - dt.timedelta(days=checked),
            },
        )
    url = PortalListing.objects.get(product=mien).get_absolute_url()
    page = client.get(url).content.decode()
    assert "Điểm mở" in page and "openstreetmap.org/?mlat=22.4" in page
    assert "Điểm đã đóng" not in page and "Điểm sắp mở" not in page
    assert "https://postmart.vn/mien" in page and "shopee.vn" not in page
    assert "chưa được cập nhật" not in page
