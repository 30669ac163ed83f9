"""One rule set for the import, the forms and the services (issue 17 §2–3): the final i/y, the same
decision, the same product and entity, and the warnings for a likely misspelling."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ocop import testing
from ocop.certification.models import RecognitionEvent
from ocop.certification.services.events import event_record
from ocop.imports.tests.helpers import HEADER, row, run_import, write_csv
from ocop.producers.models import Entity
from ocop.products.models import Product

pytestmark = pytest.mark.django_db
BK = "Bắc Kạn"
D = dt.date


def test_a_renewal_written_with_the_other_final_i_continues_the_same_product(tmp_path):
    first = write_csv(
        tmp_path / "2021.csv",
        [
            row(
                "Trà giảo cổ lam Sỹ Bình",
                "HTX Dịch vụ Sỹ Bình",
                "Xã Sỹ Bình",
                "Huyện Bạch Thông",
                BK,
                3,
                "01/03/2021",
            )
        ],
    )
    assert run_import(first)[0] == 0
    later = write_csv(
        tmp_path / "2024.csv",
        [
            row(
                "Trà giảo cổ lam Sĩ Bình",
                "HTX Dịch vụ Sĩ Bình",
                "Xã Sĩ Bình",
                "Huyện Bạch Thông",
                BK,
                3,
                "15/02/2024",
                "Công nhận lại",
            ),
            row("Miến Kì Lừa", "HTX Sĩ Bình", "Xã Sỹ Bình", "Bạch Thông", BK, 3, "01/06/2021"),
            row("Miến Kỳ Lừa", "HTX Sỹ Bình", "Xã Sỹ Bình", "Bạch Thông", BK, 4, "01/06/2023", "Nâng hạng"),
        ],
    )
    code, report = run_import(later)
    assert code == 0 and report["warnings"] == [], report
    assert (report["created_products"], report["events"]) == (1, 3)
    tea = Product.objects.get(name="Trà giảo cổ lam Sỹ Bình")
    assert [e.kind for e in tea.events.order_by("decision_date")] == ["new", "renewed"]
    assert Entity.objects.filter(name__startswith="HTX Dịch vụ").count() == 1
    assert [e.stars for e in Product.objects.get(name="Miến Kì Lừa").events.order_by("decision_date")] == [
        3,
        4,
    ]


def test_another_tone_or_rhyme_is_another_product(tmp_path):
    path = write_csv(
        tmp_path / "khac.csv",
        [
            row("Mật ong Thúy", "HTX Ong", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2021"),
            row("Mật ong Thủy", "HTX Ong", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2021"),
            row("Mật ong Thuỷ", "HTX Ong", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2021"),  # = Thủy
            row("Bánh Tuy", "HTX Ong", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2021"),
            row("Bánh Tui", "HTX Ong", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2021"),
        ],
    )
    code, report = run_import(path)
    assert code == 0, report
    assert report["created_products"] == 4 and report["events"] == 4  # the Thuỷ line is the Thủy one


def test_a_continuing_line_without_an_earlier_one_is_taken_with_a_warning_naming_close_products(tmp_path):
    stored = write_csv(
        tmp_path / "co.csv",
        [row("Trà giảo cổ lam Bằng Lãng", "HTX Bằng Lãng", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2021")],
    )
    assert run_import(stored)[0] == 0
    path = write_csv(
        tmp_path / "giua.csv",
        [
            # Misspelt: no earlier line for this name, in the file or stored.
            row(
                "Trà giảo cổ lam Bằng Lảng",
                "HTX Bằng Lãng",
                "Xã Côn Minh",
                "Na Rì",
                BK,
                3,
                "01/03/2024",
                "Công nhận lại",
            ),
            row("Gạo nếp", "HTX Nếp", "Xã Côn Minh", "Na Rì", BK, 4, "01/05/2024", "Nâng hạng"),
            row("Gạo nếp", "HTX Nếp", "Xã Côn Minh", "Na Rì", BK, "", "01/09/2024", "Thu hồi"),
        ],
    )
    code, report = run_import(path)
    assert code == 0 and report["errors"] == [], report
    assert [(w["row"], w["column"]) for w in report["warnings"]] == [
        (2, "Hình thức"),
        (2, "Tên sản phẩm"),  # and a new product one letter from a stored one
        (3, "Hình thức"),
    ]
    assert (
        "Công nhận lại cho sản phẩm chưa có dòng công nhận nào trước đó" in report["warnings"][0]["message"]
    )
    assert "“Trà giảo cổ lam Bằng Lãng” (HTX Bằng Lãng)" in report["warnings"][0]["message"]
    assert "Nâng hạng cho sản phẩm chưa có dòng" in report["warnings"][2]["message"]
    assert report["events"] == 3  # stored as written: the file may start mid-history
    rice = Product.objects.get(name="Gạo nếp")
    assert [e.kind for e in rice.events.order_by("decision_date")] == ["upgraded", "revoked"]


def test_a_new_product_one_small_edit_from_one_of_the_same_entity_and_commune_is_flagged(tmp_path):
    path = write_csv(
        tmp_path / "gan.csv",
        [
            row("Miến dong Tài Hoan", "HTX Tài Hoan", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2021"),
            row("Miến dong Tài Hoa", "HTX Tài Hoan", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2022"),
            row("Gạo ST24", "HTX Tài Hoan", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2022"),
            row("Gạo ST25", "HTX Tài Hoan", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2022"),  # a variant
        ],
    )
    code, report = run_import(path)
    assert code == 0, report
    assert [(w["row"], w["column"]) for w in report["warnings"]] == [(3, "Tên sản phẩm")]
    assert (
        "gần giống sản phẩm đã có của cùng chủ thể, cùng xã: “Miến dong Tài Hoan”"
        in report["warnings"][0]["message"]
    )


# -- the same decision through the import and through the service --------------------------------------

LINES = [
    # (stars, date, number, kind, score) — numbers written the ways officers write them
    (3, D(2020, 6, 1), "12/QĐ-UBND", "", "55"),
    (3, D(2020, 6, 1), "12/qđ - ubnd", "", ""),  # the same decision again
    (4, D(2021, 9, 1), "88/QĐ-UBND", "Nâng hạng", "75,5"),
    (4, D(2021, 9, 1), "88/QD-UBND", "", ""),  # the same again, without diacritics
    (4, D(2024, 8, 20), "101/QĐ-UBND", "", ""),  # renewal, inferred
    (None, D(2025, 3, 5), "7/QĐ-TH", "Thu hồi", ""),
]
KINDS = {"": None, "Nâng hạng": "upgraded", "Thu hồi": "revoked"}


def _events(product: Product) -> list[tuple]:
    return list(
        product.events.order_by("decision_date", "id").values_list("kind", "stars", "decision_date", "score")
    )


def test_the_same_decisions_through_the_import_and_the_service_give_the_same_events(tmp_path, world):
    path = write_csv(
        tmp_path / "quyet-dinh.csv",
        [
            row(
                "Miến dong",
                "HTX Hà Văn An",
                "Xã Côn Minh",
                "Na Rì",
                BK,
                stars or "",
                day,
                kind,
                score=score,
                number=number,
            )
            for stars, day, number, kind, score in LINES
        ],
    )
    code, report = run_import(path)
    assert code == 0 and report["events"] == 4, report
    imported = _events(Product.objects.get(name="Miến dong", entity__name="HTX Hà Văn An"))

    entity = testing.make_entity(commune=world.places.nam_mau, name="HTX Dịch vụ")
    product = testing.make_product(entity=entity, name="Miến dong dịch vụ")
    created = []
    for stars, day, number, kind, score in LINES:
        _event, was_created = event_record(
            product=product,
            stars=stars,
            decision_date=day,
            decision_number=number,
            kind=KINDS[kind],
            score=Decimal(score.replace(",", ".")) if score else None,
        )
        created.append(was_created)
    assert created == [True, False, True, False, True, True]
    assert _events(product) == imported


def test_a_decision_recorded_with_other_stars_is_refused_by_both():
    entity = testing.make_entity(commune=testing.unit("01909"), name="HTX Mâu thuẫn")
    product = testing.make_product(entity=entity, name="Chè")
    event_record(product=product, stars=3, decision_date=D(2021, 1, 1), decision_number="5/QĐ", kind="new")
    with pytest.raises(ValidationError, match="khác hạng sao"):
        event_record(
            product=product, stars=4, decision_date=D(2021, 1, 1), decision_number="5/qđ", kind="new"
        )
    assert RecognitionEvent.objects.filter(product=product).count() == 1


def test_a_header_line_repeated_after_a_page_break_is_skipped_in_a_two_line_table(tmp_path):
    path = write_csv(
        tmp_path / "lap.csv", [row("Chè", "HTX Chè", "Xã Côn Minh", "Na Rì", BK, 3, "01/03/2021"), HEADER]
    )
    code, report = run_import(path)
    assert code == 0 and report["rows"] == 1, report
