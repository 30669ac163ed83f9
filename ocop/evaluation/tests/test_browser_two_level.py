"""The two-level flow of Decision 1489 end to end in a browser, with commune, province and ministry users:
the producer submits to the commune → the commune scores its criteria and proposes (asked once) → the province
receives, its advisory team checks, attendance is recorded, the council scores ≥ 90 → the province proposes it
to the ministry with a letter (asked once) → the ministry puts it before its council and records the 5★
decision (asked once) → the decision prints the ministry by its name on that date.

Every page on the way is photographed at 390 and 1366 px and checked by axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from ocop.certification.models import Certificate, RecognitionEvent
from ocop.evaluation.choices import CouncilLevel, DossierStatus
from ocop.evaluation.models import Dossier, Evaluation
from ocop.evaluation.services import dossiers
from ocop.evaluation.tests.helpers import submit_dossier_in_browser

from .browser import Desks, shoot
from .factories import council_with_members, score_all
from .helpers import best_choices, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desks(page, live_server):
    desks = Desks(page, live_server.url)
    yield desks
    desks.close()


def test_two_level_flow_commune_province_ministry(desks, live_server, world, axe):
    base = live_server.url
    producer = world.users.producer
    dossier = dossiers.dossier_create(
        user=producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    sheet = dossier.criteria_version.sheet
    best = best_choices(sheet)
    for code, option in best.items():
        dossiers.dossier_choose(user=producer, dossier=dossier, code=code, option=option)
    url = f"{base}/danh-gia/ho-so/{dossier.pk}/"

    # 1. The producer submits: from 01/07/2025 to the commune.
    page = desks("htx-nammau")
    page.goto(url)
    expect(page.get_by_test_id("dossier-period")).to_contain_text("hồ sơ nộp cho cấp xã")
    submit_dossier_in_browser(page)
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã nộp")

    # 2. The commune officer scores the commune's criteria (autosaved) and proposes, confirming once.
    page = desks("xa-nammau")
    page.goto(url)
    commune_codes = ["A1.a", "A2.a", "A3.c", "B5.b"]
    for code in commune_codes:
        crit = sheet.by_code[code]
        top = max(crit.options, key=lambda o: o.points)
        page.locator(f'input[name="xa-{code}"][value="{top.number}"]').check()
        expect(page.locator(f"#xa-saved-c-{code.replace('.', '-')}")).to_contain_text("Đã lưu")
    page.get_by_label("Ý kiến đề xuất của xã").fill("Sản phẩm đặc trưng của xã, nguyên liệu tại chỗ.")
    shoot(page, "1489-xa-cham", axe)
    page.get_by_role("button", name="Đề xuất lên tỉnh").click()
    expect(page.get_by_test_id("confirm-lines")).to_contain_text("được đề xuất lên cấp tỉnh")
    shoot(page, "1489-xac-nhan-de-xuat", axe)
    page.get_by_role("button", name="Xác nhận đề xuất").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Xã đã đề xuất lên tỉnh")

    # 3. The province receives it; the advisory team finds it complete; attendance is recorded; it goes
    # before the council.
    page = desks("tinh-thainguyen")
    page.goto(f"{base}/danh-gia/hoi-dong/")
    expect(page.get_by_label("Cấp")).to_contain_text("Cấp tỉnh")
    expect(page.get_by_label("Số thành viên dự họp tối thiểu (%)")).to_have_value("75")
    shoot(page, "1489-lap-hoi-dong", axe)
    setup = council_with_members(world, count=4, date=dt.date(2026, 5, 10))
    page.goto(url)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.get_by_label("Ý kiến của tổ tư vấn").fill("Hồ sơ đủ thành phần, minh chứng hợp lệ.")
    shoot(page, "1489-tinh-kiem-tra", axe)
    page.get_by_role("button", name="Ghi: hồ sơ đủ điều kiện").click()
    page.get_by_label("Phiên họp hội đồng").select_option(str(setup.session.pk))
    page.get_by_role("button", name="Đưa ra hội đồng").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Hội đồng đang đánh giá")
    page.goto(f"{base}/danh-gia/hoi-dong/{setup.council.pk}/")
    # One of four absent: 3/4 with the chair is a quorum.
    page.locator(f'input[name="a{setup.session.pk}-members"][value="{setup.seats[3].pk}"]').uncheck()
    page.get_by_role("button", name="Ghi danh sách dự họp").click()
    expect(page.get_by_test_id("quorum")).to_contain_text("Dự họp 3/4 thành viên")
    shoot(page, "1489-hoi-dong", axe)
    province = Evaluation.objects.get(session=setup.session)
    score_all(province, setup.members[:3], [best] * 3)

    # The chair sees the commune's scoring beside the criteria on the score sheet.
    chair = desks(setup.members[0].username)
    chair.goto(f"{base}/danh-gia/danh-gia/{province.pk}/cham/")
    expect(chair.get_by_test_id("commune-c-A1-a")).to_contain_text("Xã chấm: phương án")
    shoot(chair, "1489-phieu-cham", axe)

    # 4. ≥ 90 points: the province proposes it to the ministry with a letter, confirming once.
    page.goto(f"{base}/danh-gia/danh-gia/{province.pk}/")
    expect(page.get_by_test_id("evaluation-status")).to_have_text("Đã có kết quả")
    page.get_by_label("Số công văn đề nghị").fill("120/UBND-KT")
    page.get_by_label("Ngày công văn").fill("2026-05-20")
    page.get_by_label("Người ký công văn").fill("Lê Văn C")
    shoot(page, "1489-ket-qua-tinh", axe)
    page.get_by_role("button", name="Đề nghị cấp trung ương").click()
    expect(page.get_by_test_id("confirm-lines")).to_contain_text("Bộ Nông nghiệp và Môi trường")
    shoot(page, "1489-xac-nhan-de-nghi", axe)
    page.get_by_role("button", name="Xác nhận gửi đề nghị").click()
    expect(page.get_by_test_id("evaluation-status")).to_have_text("Đã đề nghị cấp trên")
    letter = page.request.get(base + page.get_by_role("link", name="Công văn (PDF)").get_attribute("href"))
    assert "Kính gửi: Bộ Nông nghiệp và Môi trường" in pdf_text(letter.body())
    assert Dossier.objects.get().status == DossierStatus.FORWARDED

    # 5. The ministry: its desk shows the proposal; its council scores it; it records the 5★ decision.
    ministry_council = council_with_members(
        world,
        level=CouncilLevel.MINISTRY,
        officer=world.users.ministry,
        prefix="bo",
        date=dt.date(2026, 6, 20),
    )
    page = desks("bo-nnmt")
    page.goto(f"{base}/danh-gia/")
    expect(page.get_by_test_id("proposed")).to_contain_text("1")
    shoot(page, "1489-bo-tong-quan", axe)
    page.goto(url)
    page.get_by_label("Phiên họp hội đồng").select_option(str(ministry_council.session.pk))
    page.get_by_role("button", name="Đưa ra hội đồng").click()
    upper = Evaluation.objects.get(session=ministry_council.session)
    score_all(upper, ministry_council.members, [best] * 3)
    page.goto(f"{base}/danh-gia/danh-gia/{upper.pk}/")
    page.get_by_label("Số quyết định").fill("2468/QĐ-BNNMT")
    page.get_by_label("Ngày quyết định").fill("2026-07-01")
    page.get_by_label("Người ký").fill("Đỗ Văn D")
    shoot(page, "1489-ket-qua-bo", axe)
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(page.get_by_test_id("confirm-lines")).to_contain_text("Bộ Nông nghiệp và Môi trường công nhận")
    shoot(page, "1489-xac-nhan-quyet-dinh", axe)
    page.get_by_role("button", name="Xác nhận ghi quyết định").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi quyết định công nhận")
    event = RecognitionEvent.objects.get()
    assert (event.issuing_level, event.stars) == ("ministry", 5)
    page.goto(f"{base}/danh-gia/quyet-dinh/")
    decision = page.request.get(
        base + page.get_by_role("link", name="Tải quyết định (PDF)").get_attribute("href")
    )
    text = pdf_text(decision.body())
    assert "BỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in text and "Hà Nội, ngày 01 tháng 07 năm 2026" in text

    # 6. The province's certificate list names the ministry as the issuer.
    page = desks("tinh-thainguyen")
    page.goto(f"{base}/chung-nhan/?trang_thai=in_force&ngay=2026-07-02")
    expect(page.locator("table")).to_contain_text("Bộ Nông nghiệp và Môi trường")
    shoot(page, "1489-giay-chung-nhan", axe)
    assert Certificate.objects.get().stars == 5
