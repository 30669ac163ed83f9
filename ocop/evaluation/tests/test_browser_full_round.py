"""The whole round of issue 5 in a browser, with the demo roles: producer submits → officer returns it for a
supplement → producer fixes it → a council of five scores → the spread warning is explained → the result is
held back by a mandatory criterion → decision PDF/DOCX → certificate with QR → counted in the statistics."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ocop.certification.models import Certificate
from ocop.evaluation.choices import DossierStatus
from ocop.evaluation.models import Dossier, Evaluation
from ocop.evaluation.services import dossiers, scoring
from ocop.evaluation.tests.helpers import submit_dossier_in_browser, submit_sheet_in_browser

from .browser import Desks
from .factories import choices_near, commune_scores, council_with_members, score_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desks(page, live_server):
    desks = Desks(page, live_server.url)
    yield desks
    desks.close()


def test_full_round_with_supplement_spread_and_held_back_star(desks, live_server, world):
    base = live_server.url
    producer = world.users.producer
    dossier = dossiers.dossier_create(
        user=producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    sheet = dossier.criteria_version.sheet
    choices = choices_near(sheet, 76, drop=("A3.e",))
    for code, option in choices.items():
        dossiers.dossier_choose(user=producer, dossier=dossier, code=code, option=option)

    # 1. The producer submits.
    page = desks("htx-nammau")
    page.goto(f"{base}/danh-gia/ho-so/{dossier.pk}/")
    submit_dossier_in_browser(page)
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã nộp")

    # 2. The commune officer (who receives dossiers from 01/07/2025) returns it with a request on A3.e,
    # confirming once.
    page = desks("xa-nammau")
    page.goto(f"{base}/danh-gia/ho-so/{dossier.pk}/")
    page.get_by_label("Yêu cầu bổ sung").fill("A3.e: Bổ sung giấy chứng nhận đăng ký nhãn hiệu")
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(page.get_by_test_id("confirm-lines")).to_contain_text("A3.e: Bổ sung giấy chứng nhận")
    page.get_by_role("button", name="Xác nhận trả hồ sơ").click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Trả lại để bổ sung")

    # 3. The producer sees the request, answers A3.e (autosaved) and resubmits.
    page = desks("htx-nammau")
    page.goto(f"{base}/danh-gia/ho-so/{dossier.pk}/")
    expect(page.get_by_text("Bổ sung giấy chứng nhận đăng ký nhãn hiệu").first).to_be_visible()
    page.locator('input[name="opt-A3.e"]').first.check()
    expect(page.locator("#saved-c-A3-e")).to_contain_text("Đã lưu")
    submit_dossier_in_browser(page, button="Nộp bổ sung")
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã nộp bổ sung")
    assert Dossier.objects.get().submissions.count() == 2

    # 4. The commune proposes it; the province officer receives it, the advisory team finds it complete,
    # and it goes before a council of five.
    commune_scores(world, Dossier.objects.get())
    setup = council_with_members(world, count=5)
    page = desks("tinh-thainguyen")
    page.goto(f"{base}/danh-gia/ho-so/{dossier.pk}/")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.get_by_label("Ý kiến của tổ tư vấn").fill("Hồ sơ đủ thành phần.")
    page.get_by_role("button", name="Ghi: hồ sơ đủ điều kiện").click()
    page.get_by_label("Phiên họp hội đồng").select_option(str(setup.session.pk))
    page.get_by_role("button", name="Đưa ra hội đồng").click()
    evaluation = Evaluation.objects.get()

    # 5. Four members score (one 12 points lower: the spread blocks the result); the chair scores on screen.
    low = choices_near(sheet, 64, drop=("A3.e",))
    score_all(evaluation, setup.members[1:], [choices, choices, choices, low])
    chair = setup.members[0]
    for code, option in list(choices.items())[2:]:
        scoring.score_choose(user=chair, evaluation=evaluation, code=code, option=option)
    page = desks(chair.username)
    page.goto(f"{base}/danh-gia/danh-gia/{evaluation.pk}/cham/")
    for code, option in list(choices.items())[:2]:
        page.locator(f'input[name="opt-{code}"][value="{option}"]').check()
        expect(page.locator(f"#saved-c-{code.replace('.', '-')}")).to_contain_text("Đã lưu")
    submit_sheet_in_browser(page, none_applies=("A3.e",))
    expect(page.locator(".messages")).to_contain_text("Đã nộp phiếu chấm")
    evaluation.refresh_from_db()
    assert evaluation.spread_blocked

    # 6. The chair explains the spread in writing; the result shows the held-back star.
    page.goto(f"{base}/danh-gia/danh-gia/{evaluation.pk}/")
    page.get_by_label("Ý kiến").fill("Thành viên 5 chấm thấp tiêu chí thị trường; hội đồng đã thảo luận.")
    page.get_by_role("button", name="Ghi giải trình").click()
    expect(page.get_by_test_id("explanation")).to_contain_text("chưa đạt tiêu chí bắt buộc 4 sao: A3.e")

    # 7. The officer records the decision; decision (PDF, DOCX) and certificate (PDF with QR) download.
    page = desks("tinh-thainguyen")
    page.goto(f"{base}/danh-gia/danh-gia/{evaluation.pk}/")
    page.get_by_label("Số quyết định").fill("456/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("2026-06-15")
    page.get_by_role("button", name="Ghi quyết định").click()
    page.get_by_role("button", name="Xác nhận ghi quyết định").click()
    certificate_link = page.get_by_role("link", name=re.compile("Tải giấy chứng nhận"))
    expect(certificate_link).to_be_visible()
    assert page.request.get(base + certificate_link.get_attribute("href")).body().startswith(b"%PDF")
    page.goto(f"{base}/danh-gia/quyet-dinh/")
    pdf = page.request.get(base + page.get_by_role("link", name="Tải quyết định (PDF)").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    docx = page.request.get(base + page.get_by_role("link", name="Tải bản Word (DOCX)").get_attribute("href"))
    assert docx.ok and docx.body().startswith(b"PK")
    certificate = Certificate.objects.get(product=world.products.mien)
    assert certificate.stars == 3 and Dossier.objects.get().status == DossierStatus.DECIDED

    # 8. The product is counted in the statistics as of the decision date.
    page.goto(f"{base}/thong-ke/?ngay=2026-06-15")
    expect(page.locator('[data-stat="recognized_total"]')).to_have_text("1")
