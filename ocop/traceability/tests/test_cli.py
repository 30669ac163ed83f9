"""`ocop stamps issue|revoke|activate` (SPEC §5.5) and the label sheet."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command

from ocop.traceability import codes
from ocop.traceability.labels import write_labels
from ocop.traceability.models import Batch, Stamp

pytestmark = pytest.mark.django_db


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", pdf))


def run(*args) -> str:
    out = io.StringIO()
    call_command("stamps", *args, stdout=out)
    return out.getvalue()


def test_issue_creates_the_lot_writes_csv_and_pdf_and_codes_verify_genuine(tmp_path, client, world):
    product = world.products.mien
    message = run(
        "issue", "--product-id", str(product.pk), "--lot", "CLI-1", "--count", "45", "--out", str(tmp_path)
    )
    assert "Đã tạo lô CLI-1" in message and "45 tem" in message
    rows = list(csv.reader((tmp_path / "codes.csv").open(encoding="utf-8")))
    assert rows[0] == ["serial", "code", "url"]
    assert [int(r[0]) for r in rows[1:]] == list(range(1, 46))
    serial, code, url = rows[1]
    assert codes.is_valid(code) and url == f"http://localhost:8000/s/{code}"
    pdf = (tmp_path / "labels.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert pages(pdf) == 2  # 40 labels a sheet
    body = client.get(f"/api/v1/stamps/{code}").json()
    assert body["status"] == "genuine" and body["lot"] == "CLI-1" and body["product"]["id"] == product.pk
    # A second run continues the serials of the same lot.
    run(
        "issue",
        "--product-id",
        str(product.pk),
        "--lot",
        "CLI-1",
        "--count",
        "5",
        "--out",
        str(tmp_path),
        "--no-labels",
    )
    again = list(csv.reader((tmp_path / "codes.csv").open(encoding="utf-8")))
    assert [r[0] for r in again[1:]] == ["46", "47", "48", "49", "50"]
    assert Batch.objects.filter(product=product, lot="CLI-1").count() == 1


def test_revoke_makes_every_stamp_of_the_lot_verify_revoked(tmp_path, client, world):
    product = world.products.che
    run(
        "issue",
        "--product-id",
        str(product.pk),
        "--lot",
        "R1",
        "--count",
        "3",
        "--out",
        str(tmp_path),
        "--no-labels",
    )
    all_codes = list(Stamp.objects.values_list("code", flat=True))
    assert "đã thu hồi 3 tem" in run("revoke", "--product-id", str(product.pk), "--lot", "R1")
    assert {client.get(f"/api/v1/stamps/{c}").json()["status"] for c in all_codes} == {"revoked"}


def test_inactive_issue_then_activate_a_range(tmp_path, client, world):
    product = world.products.mien
    run(
        "issue",
        "--product-id",
        str(product.pk),
        "--lot",
        "I1",
        "--count",
        "4",
        "--out",
        str(tmp_path),
        "--inactive",
        "--no-labels",
    )
    assert set(Stamp.objects.values_list("status", flat=True)) == {"issued"}
    run("activate", "--product-id", str(product.pk), "--lot", "I1", "--serials", "1-2")
    assert dict(Stamp.objects.values_list("serial", "status")) == {
        1: "active",
        2: "active",
        3: "issued",
        4: "issued",
    }


def test_bad_input_is_refused_in_vietnamese_and_stores_nothing(tmp_path, world):
    with pytest.raises(CommandError, match="Không có sản phẩm mã 999999"):
        run("issue", "--product-id", "999999", "--lot", "X", "--count", "1", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="Số lô chỉ gồm"):
        run(
            "issue",
            "--product-id",
            str(world.products.mien.pk),
            "--lot",
            "lô 1",
            "--count",
            "1",
            "--out",
            str(tmp_path),
        )
    with pytest.raises(CommandError, match="không có lô"):
        run("revoke", "--product-id", str(world.products.mien.pk), "--lot", "NOPE")
    assert not Batch.objects.exists() and not Stamp.objects.exists()


def test_label_sheet_of_1000_labels_has_25_pages():
    # How long it takes (< 5 s): scripts/bench_stamps.py (a wall-clock limit fails on a loaded machine).
    rows = [(i, c, f"https://ocop.example.vn/s/{c}") for i, c in enumerate(codes.new_codes(1000), start=1)]
    out = io.BytesIO()
    assert write_labels(out, rows, product_name="Miến dong Nam Mẫu", lot="L1", stars=4) == 1000
    assert pages(out.getvalue()) == 25
