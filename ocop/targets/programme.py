"""The programme's year on the dashboard, beside the recognition figures: e-stamp coverage (share and by
commune), product ideas by year, the inspection KPI and overdue inspections of the user's scope, and the
year's grants — each from the selectors of its own app (ideas, inspections, funding, traceability)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ocop.geography.models import AdminUnit

from .progress import stamp_coverage_by_commune
from .selectors import UnitHistory
from .tables import Table


def programme_figures(*, user: Any, unit: AdminUnit, history: UnitHistory, day: dt.date) -> dict[str, Any]:
    from ocop.funding.selectors import grant_totals
    from ocop.inspections.selectors import inspection_kpi, overdue_inspections

    funding = grant_totals(unit, day.year, day=day)
    millions = f"{funding['amount_vnd'] / 1_000_000:,.1f}".translate(str.maketrans(",.", ".,"))
    return {
        "stamps": stamp_coverage_by_commune(history, day),
        "inspections": inspection_kpi(history, day),
        "overdue": overdue_inspections(user=user, today=day).count(),
        "funding": funding,
        "funding_millions": millions.removesuffix(",0"),
    }


def stamp_table(coverage: dict[str, Any], *, title: str = "Sản phẩm còn hiệu lực có tem điện tử") -> Table:
    """E-stamp coverage by commune (``progress.stamp_coverage_by_commune``), on the dashboard and in the
    annual report."""
    return Table(
        "stamps",
        title,
        ["Xã/phường", "Sản phẩm còn hiệu lực", "Có tem điện tử", "Tỷ lệ (%)"],
        [[r["commune"], r["in_force"], r["with_stamps"], r["percent"]] for r in coverage["by_commune"]],
    )


def idea_table(stats: dict[str, Any]) -> Table:
    return Table(
        "ideas",
        "Ý tưởng sản phẩm theo năm đăng ký",
        ["Năm", "Đăng ký", "Được chấp nhận", "Có phương án kinh doanh", "Thành sản phẩm OCOP", "Trả lại"],
        [
            [year, r["registered"], r["accepted"], r["business_plan"], r["product"], r["returned"]]
            for year, r in stats["ideas_by_year"].items()
        ],
    )
