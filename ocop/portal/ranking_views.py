"""/xep-hang-tinh/: provinces ranked by their OCOP products in force on a date, or by their stars.

Provinces of the date's generation (SPEC §3): the 63 provinces before 01/07/2025, the 34 of 2025 from then (a
product registered under an old commune counts in its successor's province). "In force" as everywhere on the
portal and in the statistics: a certificate covering the date (``certification.selectors``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ocop.certification.selectors import in_force_stars_by_province
from ocop.core.text import fold
from ocop.geography.selectors import provinces_on
from ocop.legal.periods import REFORM_DATE

from . import seo
from .cache import cached_page
from .search import base_listing, today
from .selectors import province_url

EARLIEST = dt.date(2019, 1, 1)
BY_STARS = "sao"


@dataclass
class Rank:
    rank: int
    province_id: int
    name: str
    url: str
    total: int
    five: int
    four: int
    three: int


def in_force_counts(day: dt.date) -> dict[int, dict[int, int]]:
    """Province id → {stars: products in force on ``day``}.

    Today's figures come from the portal's listing, the read model of the same rule (each product's latest
    certificate, in force today; its 2025 province): one indexed table instead of every certificate joined to
    its product (a third of the time on the national data). Other days need the certificates' history."""
    if day != today():
        return in_force_stars_by_province(day=day)
    counts: dict[int, dict[int, int]] = {}
    rows = base_listing(day=day).exclude(new_province_id=None).values_list("new_province_id", "stars")
    for province, stars, n in rows.annotate(n=Count("pk")).order_by():
        counts.setdefault(province, {})[stars] = n
    return counts


def ranking_rows(day: dt.date, *, by_stars: bool = False) -> list[Rank]:
    """Every province of the day's generation (those without products last, at 0), best first; equal
    figures share a rank."""
    counts = in_force_counts(day)
    rows = []
    for province in provinces_on(day=day):
        stars = counts.get(province.pk, {})
        rows.append(
            Rank(
                0,
                province.pk,
                province.short_name or province.name,
                province_url(province),
                sum(stars.values()),
                stars.get(5, 0),
                stars.get(4, 0),
                stars.get(3, 0),
            )
        )

    def key(row: Rank) -> tuple:
        return (row.five, row.four, row.three) if by_stars else (row.total, row.five, row.four)

    rows.sort(key=lambda row: (tuple(-k for k in key(row)), fold(row.name)))
    previous = None
    for index, row in enumerate(rows, start=1):
        row.rank = index if key(row) != previous else rows[index - 2].rank
        previous = key(row)
    return rows


def _day(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return today()
    return min(max(day, EARLIEST), today())


@require_GET
@cached_page
def ranking(request: HttpRequest) -> HttpResponse:
    day = _day(request.GET.get("ngay"))
    by_stars = request.GET.get("xep") == BY_STARS
    rows = ranking_rows(day, by_stars=by_stars)
    legacy = day < REFORM_DATE
    return render(
        request,
        "portal/ranking.html",
        {
            "day": day,
            "today": today(),
            "earliest": EARLIEST,
            "rows": rows,
            "by_stars": by_stars,
            "legacy": legacy,
            "total": sum(row.total for row in rows),
            "canonical": request.build_absolute_uri(request.path),
            "noindex": bool(request.GET),
            "share": seo.share(
                request,
                title=_("Xếp hạng các tỉnh theo sản phẩm OCOP"),
                description=_(
                    "Các tỉnh, thành phố theo số sản phẩm OCOP còn hiệu lực và theo hạng sao, tại một ngày."
                ),
            ),
        },
    )
