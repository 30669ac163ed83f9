"""The dashboard reads a unit's communes once (commune table, map, communes total) and finds the picked
province among the units it loaded for the picker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ocop.geography.selectors import communes_of
from ocop.targets import tables
from ocop.targets.selectors import history_load
from ocop.testing import PASSWORD

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 12, 31)


@pytest.mark.parametrize("unit", ["thai_nguyen", "bac_kan", "ba_be", "nam_mau"])
def test_communes_loaded_once_give_the_same_tables_and_map(history, unit):
    place = getattr(history.world.places, unit)
    communes = tables.unit_communes(place)
    assert len(communes) == communes_of(place).count()
    loaded = history_load(place, communes_total=len(communes))
    assert loaded.figures(DAY) == history_load(place).figures(DAY)
    shared = tables.commune_table(loaded, DAY, communes)
    alone = tables.commune_table(history_load(place), DAY)
    assert shared.rows and shared.rows == alone.rows and shared.headers == alone.headers
    assert tables.map_points(loaded, DAY, communes) == tables.map_points(loaded, DAY)


def test_a_commune_missing_from_the_list_is_still_named(history):
    place = history.world.places.thai_nguyen
    loaded = history_load(place)
    assert tables.commune_table(loaded, DAY, []).rows == tables.commune_table(loaded, DAY).rows


def test_dashboard_reads_the_units_communes_once(client, history):
    admin = history.world.users.admin
    assert client.login(username=admin.username, password=PASSWORD)
    place = history.world.places.thai_nguyen
    url = reverse("targets:dashboard")
    client.get(url, {"unit": place.pk, "as_of": DAY.isoformat()})  # warm: sessions, content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"unit": place.pk, "as_of": DAY.isoformat()})
    assert response.status_code == 200
    unit_reads = [q["sql"] for q in queries.captured_queries if 'FROM "geography_adminunit"' in q["sql"]]
    assert sum('AS "latitude"' in sql for sql in unit_reads) == 1  # map, table and total share one read
    assert not any("COUNT(" in sql for sql in unit_reads)
    assert not any('AS "parent__name"' in sql and 'AS "latitude"' not in sql for sql in unit_reads)
    picked = [sql for sql in unit_reads if f'"id" = {place.pk}' in sql and "LIMIT" in sql]
    assert not picked  # the picked province comes from the picker's list


def test_table_cells_are_escaped_and_localised_like_the_template():
    from django.template import Context, Template

    row = ['Xã <b>"A" & B\'s</b>', 1234, 12.5, dt.date(2025, 7, 1)]
    table = tables.Table("t", "T", ["Tên", "Số", "Tỷ lệ", "Ngày"], [row])
    cells = Template("{% for c in row %}{{ c }}|{% endfor %}").render(Context({"row": row})).split("|")[:-1]
    assert (
        table.body_html()
        == "<tr>"
        + "".join(
            f'<td data-label="{label}">{cell}</td>' for label, cell in zip(table.headers, cells, strict=True)
        )
        + "</tr>"
    )
