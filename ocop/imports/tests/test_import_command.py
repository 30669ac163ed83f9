"""`ocop import-products` end to end on the real database (SPEC §5.3)."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest

from ocop.certification.models import Certificate, RecognitionEvent
from ocop.imports.tests.helpers import HEADER, row, run_import, write_csv, write_xlsx
from ocop.producers.models import Entity
from ocop.products.models import Product

pytestmark = pytest.mark.django_db

BK = "Bắc Kạn"


def kinds(product: Product) -> list[tuple[str, int | None, dt.date]]:
    return list(product.events.order_by("decision_date", "id").values_list("kind", "stars", "decision_date"))


def test_xlsx_header_below_title_rows_real_dates_and_row_numbers(tmp_path):
    title = [["UBND TỈNH BẮC KẠN"], ["DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN OCOP"], []]
    rows = [
        row(
            "Miến dong Tài Hoan",
            "HTX Tài Hoan",
            "Xã Côn Minh",
            "Huyện Na Rì",
            BK,
            4,
            dt.datetime(2018, 12, 10),
            number="2435/QĐ-UBND",
            stt=1,
            group="Thực phẩm",
        ),
        row(
            "Miến dong Tài Hoan",
            "HTX Tài Hoan",
            "Côn Minh",
            "Na Rì",
            BK,
            "5 sao",
            dt.date(2021, 6, 30),
            score=91.14,
            number="2890/QĐ-BNN-VPĐP",
            stt=2,
        ),
    ]
    path = write_xlsx(tmp_path / "ds.xlsx", rows, title_rows=title)
    code, report = run_import(path, "--dry-run")
    assert (code, report["ok"], report["rows"], report["created_products"], report["events"]) == (
        0,
        True,
        2,
        1,
        2,
    )
    assert not Product.objects.filter(name="Miến dong Tài Hoan").exists()  # dry run stores nothing

    bad = [*rows, row("Miến dong Tài Hoan", "HTX Tài Hoan", "Côn Minh", "Na Rì", BK, 7, dt.date(2022, 1, 3))]
    code, report = run_import(write_xlsx(tmp_path / "bad.xlsx", bad, title_rows=title))
    assert code != 0
    assert report["errors"] == [
        {"row": 7, "column": "Hạng sao", "message": "Hạng sao phải từ 1 đến 5 (đang ghi 7)."}
    ]

    code, report = run_import(path)
    assert code == 0 and report["events"] == 2
    product = Product.objects.get(name="Miến dong Tài Hoan")
    assert product.group_code == "I" and product.commune.name == "Xã Côn Minh"
    assert product.entity.entity_type == "htx"
    assert kinds(product) == [("new", 4, dt.date(2018, 12, 10)), ("upgraded", 5, dt.date(2021, 6, 30))]
    assert Certificate.objects.filter(product=product).count() == 2
    event = product.events.get(stars=5)
    assert str(event.score) == "91.14" and event.source == "Nhập tệp ds.xlsx, dòng 6"


def test_alias_headers_nfd_abbreviations_and_semicolons(tmp_path):
    header = [
        "TT",
        "Tên SP",
        "Tên chủ thể",
        "Loại hình",
        "Xã/phường/thị trấn",
        "Huyện/TP",
        "Tỉnh/Thành phố",
        "Nhóm",
        "Số sao",
        "Tổng điểm",
        "Quyết định số",
        "Ngày ban hành",
        "Loại công nhận",
        "MST",
    ]
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    rows = [
        [
            1,
            nfd("Trà Shan tuyết Bản Nà"),
            nfd("Tổ hợp tác Trà Hương"),
            "THT",
            nfd("X. Bình Văn"),
            nfd("H. Chợ Mới"),
            nfd("T. Bắc Kạn"),
            "III",
            "3 sao",
            "65,5",
            "12/QĐ-UBND",
            "3/9/2021",
            "Công nhận",
            "",
        ],
        [
            2,
            "Thịt trâu khô",
            "Hộ kinh doanh Hoàng Văn A",
            "Hộ gia đình",
            "TT. Chợ Rã",
            "Ba Bể",
            "bac kan",
            "Thực phẩm",
            "3★",
            "",
            "12/QĐ-UBND",
            "2021-09-03",
            "",
            "4700000099",
        ],
    ]
    path = write_csv(tmp_path / "aliases.csv", rows, header=header, delimiter=";", bom=False)
    code, report = run_import(path)
    assert code == 0, report
    tea = Product.objects.get(name="Trà Shan tuyết Bản Nà")
    assert unicodedata.is_normalized("NFC", tea.name) and tea.commune.name == "Xã Bình Văn"
    assert tea.entity.entity_type == "to_hop_tac" and tea.group_code == "III"
    buffalo = Product.objects.get(name="Thịt trâu khô")
    assert buffalo.commune.name == "Thị trấn Chợ Rã" and buffalo.entity.tax_code == "4700000099"
    assert buffalo.entity.entity_type == "ho_kinh_doanh"

    # The same lines written in NFC, other case and spacing are the same products and events.
    again = write_csv(
        tmp_path / "again.csv",
        [
            row(
                "TRÀ SHAN  TUYẾT BẢN NÀ",
                "tổ hợp tác trà hương",
                "Xã Bình Văn",
                "Huyện Chợ Mới",
                BK,
                3,
                "03/09/2021",
                number="12/QĐ-UBND",
            ),
        ],
    )
    code, report = run_import(again)
    assert (code, report["created_products"], report["events"]) == (0, 0, 0)


def test_invalid_rows_refuse_the_whole_file_with_every_error(tmp_path, world):
    rows = [
        row("Sản phẩm tốt", "HTX Tốt", "Xã Nam Mẫu", "Huyện Ba Bể", BK, 3, "01/03/2021"),  # row 2: valid
        row("Sản phẩm A", "HTX A", "Xã Nam Mẫu", "Huyện Ba Bể", BK, 6, "01/03/2021"),  # 3
        row("Sản phẩm B", "HTX B", "Xã Nam Mẫu", "Huyện Ba Bể", BK, 3, "31/02/2021"),  # 4
        row("Sản phẩm C", "HTX C", "Xã Không Có", "Huyện Ba Bể", BK, 3, "01/03/2021"),  # 5
        row("", "HTX D", "Xã Nam Mẫu", "Huyện Ba Bể", BK, 3, "01/03/2021"),  # 6
        row("Sản phẩm E", "HTX E", "Xã Nam Mẫu", "Huyện Ba Bể", BK, 4, "01/03/2021", score=95),  # 7
        row("Sản phẩm tốt", "HTX Tốt", "Xã Nam Mẫu", "Huyện Ba Bể", BK, 3, "01/03/2022", "Nâng hạng"),  # 8
        row("Sản phẩm F", "HTX F", "Xã Nam Mẫu", "Huyện Ba Bể", BK, 3, "01/03/2021", "Hạ hạng"),  # 9
        # 10: a revocation with no earlier line is taken, with a warning (a list may start mid-history).
        row("Sản phẩm G", "HTX G", "Xã Nam Mẫu", "Huyện Ba Bể", BK, "", "01/03/2021", "Thu hồi"),
        row("Sản phẩm H", "HTX H", "Xã Nam Mẫu", "Huyện Ba Bể", BK, 3, "01/03/2021", entity_type="Hội"),  # 11
        row("Sản phẩm I", "HTX I", "Xã Nam Mẫu", "Huyện Không Có", BK, 3, "01/03/2021"),  # 12
    ]
    before = (Entity.objects.count(), Product.objects.count(), RecognitionEvent.objects.count())
    code, report = run_import(write_csv(tmp_path / "sai.csv", rows))
    assert code != 0 and report["ok"] is False
    assert set(report) == {"ok", "rows", "created_products", "events", "errors", "warnings"}
    assert report["rows"] == 11 and report["created_products"] == 0 and report["events"] == 0
    assert [(e["row"], e["column"]) for e in report["errors"]] == [
        (3, "Hạng sao"),
        (4, "Ngày quyết định"),
        (5, "Xã"),
        (6, "Tên sản phẩm"),
        (7, "Điểm"),
        (8, "Hình thức"),
        (9, "Hình thức"),
        (11, "Loại hình chủ thể"),
        (12, "Huyện"),
    ]
    messages = {e["row"]: e["message"] for e in report["errors"]}
    assert "không có thật" in messages[4]
    assert "Không tìm thấy xã “Xã Không Có” thuộc Huyện Ba Bể" in messages[5]
    assert "khung 4 sao" in messages[7]
    assert "hạng cao hơn" in messages[8]
    assert [(w["row"], w["column"]) for w in report["warnings"]] == [(10, "Hình thức")]
    assert "chưa có dòng công nhận nào trước đó" in report["warnings"][0]["message"]
    assert (Entity.objects.count(), Product.objects.count(), RecognitionEvent.objects.count()) == before


def test_report_json_has_exactly_the_contract_keys(tmp_path):
    path = write_csv(
        tmp_path / "ok.csv", [row("Mật ong", "HTX Ong", "Xã Nam Mẫu", "Ba Bể", BK, 3, "01/03/2021")]
    )
    report_path = tmp_path / "r.json"
    from django.core.management import call_command

    call_command("import_products", str(path), "--report-json", str(report_path))
    assert json.loads(report_path.read_text()) == {
        "ok": True,
        "rows": 1,
        "created_products": 1,
        "events": 1,
        "errors": [],
        "warnings": [],
    }


def test_reimport_changes_nothing_and_later_file_continues_history(tmp_path):
    first = write_csv(
        tmp_path / "2019.csv",
        [
            row(
                "Gạo nếp Tân Sơn",
                "HTX nông nghiệp sạch Tân Sơn",
                "Xã Tân Sơn",
                "Huyện Chợ Mới",
                BK,
                3,
                "15/11/2019",
                number="2212/QĐ-UBND",
            ),
        ],
    )
    assert run_import(first)[0] == 0
    counts = (
        Entity.objects.count(),
        Product.objects.count(),
        RecognitionEvent.objects.count(),
        Certificate.objects.count(),
    )
    code, report = run_import(first)
    assert (code, report["created_products"], report["events"]) == (0, 0, 0)
    assert counts == (
        Entity.objects.count(),
        Product.objects.count(),
        RecognitionEvent.objects.count(),
        Certificate.objects.count(),
    )

    later = write_csv(
        tmp_path / "2022.csv",
        [
            row(
                "Gạo nếp Tân Sơn",
                "HTX nông nghiệp sạch Tân Sơn",
                "Xã Tân Sơn",
                "Huyện Chợ Mới",
                BK,
                "",
                "01/02/2024",
                "Thu hồi",
                number="99/QĐ-UBND",
            ),
            row(
                "Gạo nếp Tân Sơn",
                "HTX nông nghiệp sạch Tân Sơn",
                "Xã Tân Sơn",
                "Huyện Chợ Mới",
                BK,
                4,
                "20/12/2022",
                number="2100/QĐ-UBND",
            ),  # listed after the revocation, dated before it; kind inferred
        ],
    )
    code, report = run_import(later)
    assert (code, report["events"]) == (0, 2), report
    product = Product.objects.get(name="Gạo nếp Tân Sơn")
    assert kinds(product) == [
        ("new", 3, dt.date(2019, 11, 15)),
        ("upgraded", 4, dt.date(2022, 12, 20)),
        ("revoked", None, dt.date(2024, 2, 1)),
    ]
    certificate = Certificate.objects.get(product=product, stars=4)
    assert certificate.ended_on == dt.date(2024, 2, 1) and certificate.end_reason == "revoked"


def test_upgrade_listed_before_the_recognition_is_applied_in_date_order(tmp_path):
    path = write_csv(
        tmp_path / "dao.csv",
        [
            row(
                "Bánh gio",
                "Cơ sở Lường Văn Thuỳ",
                "Thị trấn Đồng Tâm",
                "Chợ Mới",
                BK,
                4,
                "01/06/2023",
                "Nâng hạng",
            ),
            row(
                "Bánh gio",
                "Cơ sở Lường Văn Thuỳ",
                "Thị trấn Đồng Tâm",
                "Chợ Mới",
                BK,
                3,
                "01/06/2021",
                "Công nhận mới",
            ),
        ],
    )
    code, report = run_import(path)
    assert code == 0, report
    assert [k for k, _s, _d in kinds(Product.objects.get(name="Bánh gio"))] == ["new", "upgraded"]


def test_row_naming_the_successor_commune_continues_the_same_product(tmp_path, world):
    # world: "Miến dong Nam Mẫu" of "HTX Miến dong Nam Mẫu", registered under legacy Xã Nam Mẫu (→ Xã Ba Bể).
    legacy = write_csv(
        tmp_path / "cu.csv",
        [
            row(
                "Miến dong Nam Mẫu", "HTX Miến dong Nam Mẫu", "Xã Nam Mẫu", "Huyện Ba Bể", BK, 3, "10/10/2022"
            ),
        ],
    )
    assert run_import(legacy)[0] == 0
    new = write_csv(
        tmp_path / "moi.csv",
        [
            row("Miến dong Nam Mẫu", "HTX Miến dong Nam Mẫu", "Xã Ba Bể", "", "Thái Nguyên", 4, "15/08/2025"),
        ],
    )
    code, report = run_import(new)
    assert (code, report["created_products"], report["events"]) == (0, 0, 1), report
    mien = world.products.mien
    assert [(k, s) for k, s, _d in kinds(mien)] == [("new", 3), ("upgraded", 4)]
    assert Product.objects.filter(name="Miến dong Nam Mẫu").count() == 1


def test_post_reform_row_must_name_new_units(tmp_path):
    path = write_csv(
        tmp_path / "sai-cap.csv",
        [
            row("Trà", "HTX Trà", "Xã Nam Mẫu", "", "Thái Nguyên", 3, "15/08/2025"),
        ],
    )
    code, report = run_import(path)
    assert code != 0 and report["errors"][0]["column"] == "Xã"


def test_two_households_named_alike_in_two_communes_are_two_entities(tmp_path):
    path = write_csv(
        tmp_path / "ho.csv",
        [
            row("Mật ong rừng", "Hộ kinh doanh Nguyễn Văn An", "Xã Nam Mẫu", "Ba Bể", BK, 3, "01/03/2021"),
            row(
                "Mật ong rừng", "Hộ kinh doanh Nguyễn Văn An", "Xã Đồng Thắng", "Chợ Đồn", BK, 3, "01/03/2021"
            ),
            row("Mật ong rừng", "hộ kinh doanh nguyễn văn an", "X. Nam Mẫu", "Ba Bể", BK, 4, "01/03/2023"),
        ],
    )
    code, report = run_import(path)
    assert (code, report["created_products"], report["events"]) == (0, 2, 3), report
    assert Entity.objects.filter(name="Hộ kinh doanh Nguyễn Văn An").count() == 2


def test_entity_identified_by_tax_code(tmp_path, world):
    header = [*HEADER, "Mã số thuế"]
    path = write_csv(
        tmp_path / "mst.csv",
        [
            # The world's HTX (tax code 4700000001) written under another name.
            [
                *row(
                    "Bún Nam Mẫu",
                    "Hợp tác xã miến dong Nam Mẫu (Bắc Kạn)",
                    "Xã Nam Mẫu",
                    "Ba Bể",
                    BK,
                    3,
                    "01/03/2021",
                ),
                "4700000001",
            ],
            # Two companies with the same name in one commune, told apart by their numbers.
            [
                *row(
                    "Trà A",
                    "Công ty TNHH Hà Diệp",
                    "Xã Nông Thượng",
                    "Thành phố Bắc Kạn",
                    BK,
                    4,
                    "01/03/2021",
                ),
                "4701111111",
            ],
            [
                *row(
                    "Trà B",
                    "Công ty TNHH Hà Diệp",
                    "Xã Nông Thượng",
                    "Thành phố Bắc Kạn",
                    BK,
                    4,
                    "01/03/2021",
                ),
                "4702222222",
            ],
            [
                *row(
                    "Trà C",
                    "Công ty TNHH Hà Diệp",
                    "Xã Nông Thượng",
                    "Thành phố Bắc Kạn",
                    BK,
                    4,
                    "01/03/2021",
                ),
                "4701111111",
            ],
        ],
        header=header,
    )
    code, report = run_import(path)
    assert code == 0, report
    assert Product.objects.get(name="Bún Nam Mẫu").entity == world.entities.nam_mau
    assert Entity.objects.filter(name="Công ty TNHH Hà Diệp").count() == 2
    assert Product.objects.get(name="Trà C").entity == Product.objects.get(name="Trà A").entity
    assert Product.objects.get(name="Trà A").entity.entity_type == "doanh_nghiep"
