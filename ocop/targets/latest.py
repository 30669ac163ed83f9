"""One-day statistics read from the database (SQLite): each product's latest line, not its whole history.

``ocop stats`` and ``GET /api/v1/stats`` answer for one day. Loading every event of a province (50,000
rows for 20,000 products) and replaying them in Python costs more than the figures themselves, so here the
database picks each product's latest event on or before the day (ties on one day: the later record, as
in ``UnitHistory``) and counts events per year; the state of that line still comes from the one rule,
``certification.history.state_after`` (through ``selectors._line_state``). Figures are those of
``UnitHistory`` for the same day — a test compares both on every day of a history.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connections, router

from ocop.certification.models import RecognitionEvent
from ocop.geography.models import AdminUnit
from ocop.geography.selectors import communes_of
from ocop.producers.models import Entity
from ocop.products.models import Product

from .selectors import EVENT_KINDS, ProductInfo, State, UnitHistory, _in_ids, _line_state, counted_communes


def _latest_sql() -> str:
    """Latest event per product dated ≤ day, among the products of some communes, with each product's events
    as "<year><kind>" words (the yearly counts from the same pass, no second scan).

    SQLite: with a single max() the other columns come from the row holding the maximum; the key orders by
    (date, id) — dates are ISO text, ids stay below 10^11."""
    event, product, entity = RecognitionEvent._meta.db_table, Product._meta.db_table, Entity._meta.db_table
    latest = (
        f"SELECT product_id, CAST(decision_date AS TEXT) AS day, kind, stars, "  # noqa: S608 — model table names; 20,000 latest lines in one query (benchmarks.md)
        f"max(CAST(replace(decision_date, '-', '') AS INTEGER) * 100000000000 + id), "
        f"group_concat(substr(decision_date, 1, 4) || kind, ' ') AS years "
        f"FROM {event} WHERE decision_date <= %s "
        f"AND product_id IN (SELECT id FROM {product} WHERE commune_id {{in_communes}}) GROUP BY product_id"
    )
    return (
        f"SELECT p.id, p.commune_id, p.entity_id, p.group_code, e.entity_type, "  # noqa: S608 — model table names and the subquery above
        f"l.day, l.kind, l.stars, l.years FROM ({latest}) l "
        f"JOIN {product} p ON p.id = l.product_id JOIN {entity} e ON e.id = p.entity_id"
    )


class LatestLines(UnitHistory):
    """``UnitHistory``'s figures for a few days, each day one query for the latest lines and the words of the
    yearly counts — no event list in memory. SQLite only: PostgreSQL answers one day faster from the whole
    history (``selectors._one_day_history``)."""

    holds_events = False

    def __init__(self, unit: AdminUnit) -> None:
        super().__init__(unit=unit, products={}, events=[], communes_total=communes_of(unit).count())
        self.alias = router.db_for_read(Product)
        self.commune_map = counted_communes(unit)
        self._year_words: dict[dt.date, Counter] = {}

    def _cursor_rows(self, sql: str, params: list) -> list[tuple]:
        connection = connections[self.alias]
        in_communes, communes_param = _in_ids(connection, self.commune_map)
        with connection.cursor() as cursor:
            cursor.execute(sql.format(in_communes=in_communes), [*params, communes_param])
            return cursor.fetchall()

    def states(self, day: dt.date) -> list[tuple[ProductInfo, State]]:
        if day not in self._states:
            rows = self._cursor_rows(_latest_sql(), [day])
            commune_of = self.commune_map
            self._states[day] = [
                (
                    ProductInfo(commune_of[row[1]], row[2], row[3], row[4]),
                    _line_state(row[5], row[6], row[7]),
                )
                for row in rows
            ]
            self._year_words[day] = Counter(" ".join(row[8] for row in rows).split())
        return self._states[day]

    def by_year(self, day: dt.date) -> dict[str, dict[str, int]]:
        self.states(day)
        counts = {(word[:4], word[4:]): count for word, count in self._year_words[day].items()}
        years = sorted({year for year, _kind in counts})
        return {year: {kind: counts.get((year, kind), 0) for kind in EVENT_KINDS} for year in years}

    def events_between(self, kind: str, start: dt.date, end: dt.date) -> int:
        event, product = RecognitionEvent._meta.db_table, Product._meta.db_table
        rows = self._cursor_rows(
            f"SELECT count(*) FROM {event} WHERE kind = %s AND decision_date >= %s AND decision_date <= %s "  # noqa: S608 — model table names; counted in the database (benchmarks.md)
            f"AND product_id IN (SELECT id FROM {product} WHERE commune_id {{in_communes}})",
            [kind, start, end],
        )
        return rows[0][0]

    def upgrades_between(self, start: dt.date, end: dt.date, *, to_stars: int) -> int:
        event, product = RecognitionEvent._meta.db_table, Product._meta.db_table
        rows = self._cursor_rows(
            # Table names from the models' metadata; values are %s parameters, as in the other queries here.
            f"SELECT count(*) FROM {event} WHERE kind = 'upgraded' AND stars = %s "  # noqa: S608
            f"AND decision_date >= %s AND decision_date <= %s "
            f"AND product_id IN (SELECT id FROM {product} WHERE commune_id {{in_communes}})",
            [to_stars, start, end],
        )
        return rows[0][0]
