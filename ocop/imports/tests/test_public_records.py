"""The published Bắc Kạn list (shared data) as an officer would prepare it for import."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.conf import settings

from ocop.certification.history import BANDS
from ocop.imports.tests.helpers import HEADER, run_import, write_csv
from ocop.products.models import Product

pytestmark = pytest.mark.django_db


def _records() -> list[dict]:
    path = settings.OCOP_SHARED_DIR / "data" / "public-records" / "bac-kan.csv"
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _stars_from_score(score: str) -> str:
    value = float(score)
    return next(
        str(stars) for stars, (low, high) in BANDS.items() if low <= value < high or value == high == 100
    )


def _rows(records: list[dict], *, fix: bool) -> list[list[object]]:
    """Map the source columns to SPEC headers; lines with no commune or year cannot be placed and are left
    out. The source gives only a year for most lines: the import needs a date, 31/12 of that year."""
    rows = []
    for record in records:
        if not record["commune"] or not record["year"]:
            continue
        stars = record["stars"]
        if not stars and fix:
            stars = _stars_from_score(record["score"])
        date = record["decision_date"] or f"31/12/{record['year']}"
        rows.append(
            [
                len(rows) + 1,
                record["name"],
                record["entity"],
                record["entity_type"],
                record["commune"],
                record["district"],
                "Tỉnh Bắc Kạn",
                record["group"],
                stars,
                record["score"],
                record["decision_no"],
                date,
                "",
            ]
        )
    return rows


def test_bac_kan_list_refused_then_imported_once_stars_are_filled(tmp_path):
    records = _records()
    raw = _rows(records, fix=False)
    code, report = run_import(write_csv(tmp_path / "bac-kan.csv", raw))
    assert code != 0
    # Line 15 of the source (2020, score 94) gives a score but no star.
    assert {(e["column"], e["message"]) for e in report["errors"]} == {("Hạng sao", "Thiếu hạng sao (1–5).")}

    fixed = _rows(records, fix=True)
    code, report = run_import(write_csv(tmp_path / "bac-kan-sua.csv", fixed))
    assert code == 0, report["errors"]
    assert report["rows"] == len(fixed)
    tai_hoan = Product.objects.get(name="Miến dong Tài Hoan")
    history = list(tai_hoan.events.order_by("decision_date").values_list("kind", "stars", "decision_date"))
    assert history == [
        ("new", 4, dt.date(2018, 12, 31)),
        ("upgraded", 5, dt.date(2020, 9, 4)),
        ("renewed", 5, dt.date(2021, 6, 30)),
        ("renewed", 5, dt.date(2024, 12, 31)),
    ]
    homestays = Product.objects.filter(commune__name="Xã Nam Mẫu", group_code="VI")
    assert homestays.count() == 2 and homestays.values("entity").distinct().count() == 1
    assert run_import(write_csv(tmp_path / "lai.csv", fixed))[1]["events"] == 0
    assert HEADER[1] == "Tên sản phẩm"
