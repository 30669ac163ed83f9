"""The cards and filter options built in Python are the markup the templates produce."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from ocop.portal import markup
from ocop.portal.models import PortalListing
from ocop.portal.search import today

pytestmark = pytest.mark.django_db


def test_cards_match_the_card_template(portal):
    rows = list(PortalListing.objects.order_by("pk"))  # in force and expired, with and without district
    assert any(row.district_name for row in rows) and any(row.valid_to < today() for row in rows)
    rows[0].name = "Mứt <gừng> & \"quà\" 'Tết'"  # escaped like autoescape does
    rows[0].district_name = ""
    for day in (today(), today() + dt.timedelta(days=10_000)):
        expected = "".join(render_to_string("portal/_card.html", {"row": row, "day": day}) for row in rows)
        assert markup.cards_html(rows, day) == expected


@pytest.mark.parametrize("n", [0, 3, 4, 5])
def test_stars_match_the_stars_template(n):
    assert markup.stars_html(n) == render_to_string("portal/_stars.html", {"n": n})


def test_options_escape_and_mark_the_selected_value():
    html = markup.options_html([(1, "Hà Nội"), (2, "A & <B>")], selected=2)
    assert html == '<option value="1">Hà Nội</option><option value="2" selected>A &amp; &lt;B&gt;</option>'
    assert "selected" not in markup.options_html([(1, "x")], selected=None)


def test_search_page_marks_the_picked_province_and_commune(client, portal):
    province = portal.world.places.thai_nguyen
    html = client.get("/tim-kiem/", {"tinh": province.pk}).content.decode()
    assert f'<option value="{province.pk}" selected>' in html
    commune = portal.world.places.dong_thang.successor
    html = client.get("/tim-kiem/", {"tinh": province.pk, "xa": commune.pk}).content.decode()
    assert f'<option value="{commune.pk}" selected>' in html
    assert "Chè Shan tuyết Đồng Thắng" in html and 'class="card__name"' in html
