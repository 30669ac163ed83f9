"""Main path in a browser: producer submits → council scores on a phone → result with held-back star →
province officer records the decision and the certificate is issued."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ocop.certification.models import Certificate
from ocop.evaluation.choices import DossierStatus
from ocop.evaluation.models import Dossier, Evaluation
from ocop.evaluation.services import councils, dossiers, intake, scoring
from ocop.evaluation.tests.helpers import submit_dossier_in_browser, submit_sheet_in_browser
from ocop.testing import PASSWORD, totp_step

from .factories import choices_near, commune_scores, council_with_members, score_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    totp_step(page, username)
    page.wait_for_url(f"{base_url}/quan-ly/")


def _logout(page) -> None:
    page.context.clear_cookies()


def test_round_from_submission_to_decision(phone_page, live_server, world):
    page, base = phone_page, live_server.url
    producer = world.users.producer
    dossier = dossiers.dossier_create(
        user=producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    sheet = dossier.criteria_version.sheet
    choices = choices_near(sheet, 76, drop=("A3.e",))
    for code, option in list(choices.items())[1:]:
        dossiers.dossier_choose(user=producer, dossier=dossier, code=code, option=option)
    first_code, first_option = next(iter(choices.items()))

    # Producer: last self-assessment choice (autosaved), then submit.
    _login(page, base, "htx-nammau")
    page.goto(f"{base}/danh-gia/ho-so/{dossier.pk}/")
    page.locator(f'input[name="opt-{first_code}"][value="{first_option}"]').check()
    expect(page.locator(f"#saved-c-{first_code.replace('.', '-')}")).to_contain_text("Đã lưu")
    submit_dossier_in_browser(page)
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã nộp")
    assert Dossier.objects.get().self_assessment[first_code] == first_option

    # The commune scores its criteria and proposes it; the province office receives and checks it and puts it
    # before a council of three.
    officer = world.users.province
    dossier = commune_scores(world, Dossier.objects.get())
    intake.dossier_receive(user=officer, dossier=dossier)
    intake.dossier_check(user=officer, dossier=dossier, note="Đủ thành phần")
    setup = council_with_members(world, count=3)
    evaluation = councils.evaluation_open(user=officer, dossier=dossier, session=setup.session)
    score_all(evaluation, setup.members[1:], [choices, choices])

    # The chair scores on a phone: most choices already saved, three entered now, reload keeps them.
    chair = setup.members[0]
    items = list(choices.items())
    for code, option in items[3:]:
        scoring.score_choose(user=chair, evaluation=evaluation, code=code, option=option)
    _logout(page)
    _login(page, base, chair.username)
    page.goto(f"{base}/danh-gia/danh-gia/{evaluation.pk}/cham/")
    for code, option in items[:3]:
        page.locator(f'input[name="opt-{code}"][value="{option}"]').check()
        expect(page.locator(f"#saved-c-{code.replace('.', '-')}")).to_contain_text("Đã lưu")
    page.reload()
    for code, option in items[:3]:
        expect(page.locator(f'input[name="opt-{code}"][value="{option}"]')).to_be_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"trang chấm rộng {width}px trên điện thoại"
    submit_sheet_in_browser(page, none_applies=("A3.e",))
    expect(page.locator(".messages")).to_contain_text("Đã nộp phiếu chấm")

    # Result: band 4★ held back to 3★ by A3.e.
    page.goto(f"{base}/danh-gia/danh-gia/{evaluation.pk}/")
    expect(page.get_by_test_id("explanation")).to_contain_text(
        "chưa đạt tiêu chí bắt buộc 4 sao: A3.e Sở hữu trí tuệ"
    )
    expect(page.get_by_test_id("explanation")).to_contain_text("Xếp hạng 3 sao")

    # The province officer records the decision; the certificate exists.
    _logout(page)
    _login(page, base, "tinh-thainguyen")
    page.goto(f"{base}/danh-gia/danh-gia/{evaluation.pk}/")
    page.get_by_label("Số quyết định").fill("456/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill("2026-06-15")
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(page.get_by_test_id("confirm-lines")).to_contain_text("Ủy ban nhân dân tỉnh Thái Nguyên công nhận")
    page.get_by_role("button", name="Xác nhận ghi quyết định").click()
    expect(page.get_by_role("link", name=re.compile("Tải giấy chứng nhận"))).to_be_visible()
    assert Evaluation.objects.get().status == "decided"
    assert Dossier.objects.get().status == DossierStatus.DECIDED
    certificate = Certificate.objects.get(product=world.products.mien)
    assert certificate.stars == 3 and certificate.number == "456/QĐ-UBND"
