"""The cards and filter options built in Python are the markup the templates produce."""

from __future__ import annotations

import datetime as dt

import pytest

from ocop.core.widgets import options_html
from ocop.portal import markup
from ocop.portal.models import PortalListing
from ocop.portal.search import today

pytestmark = pytest.mark.django_db


def test_a_card_shows_the_product_escaped_with_its_stars_and_place(portal):
    rows = list(PortalListing.objects.order_by("pk"))  # in force and expired, with and without district
    expired = next(row for row in rows if row.valid_to < today())
    in_force = next(row for row in rows if row.valid_to >= today())
    in_force.name = "Mứt <gừng> & \"quà\" 'Tết'"
    in_force.district_name = ""
    card = markup.card_html(in_force, today())
    assert card.startswith('<li class="card">') and card.endswith("</li>\n")
    assert f'href="{in_force.get_absolute_url()}"' in card
    assert "Mứt &lt;gừng&gt; &amp; &quot;quà&quot; &#x27;Tết&#x27;" in card and "<gừng>" not in card
    assert f'aria-label="{in_force.stars} sao"' in card and "Hết hiệu lực" not in card
    # Today's units (2025: commune and province, no district), the registered ones in brackets (issue 21).
    assert (
        '<div class="card__at">Xã Ba Bể, Tỉnh Thái Nguyên '
        '<span class="was">(trước đây: Xã Nam Mẫu, Tỉnh Bắc Kạn)</span></div>'
    ) in card
    assert "Huyện" not in card
    assert "Hết hiệu lực" in markup.card_html(expired, today())
    later = today() + dt.timedelta(days=10_000)  # every certificate has ended by then
    assert markup.cards_html(rows, later).count("Hết hiệu lực") == len(rows)


@pytest.mark.parametrize("n", [0, 3, 4, 5])
def test_star_mark(n):
    expected = f'<span class="stars s{n}" role="img" aria-label="{n} sao" title="{n} sao">{"★" * n}</span>'
    assert markup.stars_html(n) == expected


def test_every_page_listing_products_shows_cards(client, portal):
    row = PortalListing.objects.order_by("pk").first()
    product_page = client.get(row.get_absolute_url()).content.decode()
    assert f'aria-label="{row.stars} sao"' in product_page
    for url in ("/", f"/tinh/{row.province_id}/", f"/chu-the-ocop/{row.entity_id}/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert 'class="card__name"' in response.content.decode(), url


def test_options_escape_and_mark_the_selected_value():
    html = options_html([(1, "Hà Nội"), (2, "A & <B>")], selected=2)
    assert html == '<option value="1">Hà Nội</option><option value="2" selected>A &amp; &lt;B&gt;</option>'
    assert "selected" not in options_html([(1, "x")], selected=None)


def test_search_page_marks_the_picked_province_and_commune(client, portal):
    province = portal.world.places.thai_nguyen
    html = client.get("/tim-kiem/", {"tinh": province.pk}).content.decode()
    assert f'<option value="{province.pk}" selected>' in html
    commune = portal.world.places.dong_thang.successor
    html = client.get("/tim-kiem/", {"tinh": province.pk, "xa": commune.pk}).content.decode()
    assert f'<option value="{commune.pk}" selected>' in html
    assert "Chè Shan tuyết Đồng Thắng" in html and 'class="card__name"' in html
