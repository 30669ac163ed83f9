"""No irreversible slips, in a browser: the running totals follow each choice without a reload ("Tổng" of a
council member on a tablet, 820 px; "Tự chấm" of a producer on a phone and a desktop); a score sheet with a
criterion unanswered cannot be submitted (the review names it and links to it); a producer submits an
incomplete self-assessment only after a warning naming what is missing. axe-core checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ocop.evaluation.models import Dossier, ScoreSheet
from ocop.evaluation.scoring import score_member
from ocop.evaluation.services import dossiers, scoring
from ocop.evaluation.tests.helpers import best_choices
from ocop.testing import browser_login

from .factories import completed, evaluation_in_council, score_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "test-artifacts/screens"


def _no_reload_marker(page) -> None:
    page.evaluate("() => { window.__sameDocument = true; }")


def _same_document(page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


def test_council_member_on_a_tablet_sees_the_total_follow_and_cannot_submit_a_gap(
    tablet_page, live_server, world
):
    page, base = tablet_page, live_server.url
    setup = evaluation_in_council(world)
    evaluation = setup.evaluation
    sheet = evaluation.dossier.criteria_version.sheet
    choices = completed(sheet, best_choices(sheet))
    score_all(evaluation, setup.members[1:], [choices, choices])
    chair = setup.members[0]
    items = list(choices.items())
    left, prefilled = items[:2], items[2:]
    for code, option in prefilled:
        scoring.score_choose(user=chair, evaluation=evaluation, code=code, option=option)

    browser_login(page, base, chair.username)
    page.goto(f"{base}/danh-gia/danh-gia/{evaluation.pk}/cham/")
    total = page.locator("[data-score-total]")
    expect(total).to_have_text(str(score_member(sheet, dict(prefilled)).total))
    expect(page.locator("[data-score-missing]")).to_have_text("2")

    # Two criteria unanswered: the review refuses the sheet, names them and links to the first.
    page.get_by_role("button", name="Xem lại và nộp phiếu…").click()
    expect(page.get_by_test_id("unanswered-count")).to_have_text("Còn 2 tiêu chí chưa chấm")
    expect(page.get_by_role("button", name=re.compile(r"^Nộp phiếu"))).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/council-review-refused-tablet.png", full_page=True)
    page.get_by_role("link", name=f"Chấm tiếp từ {left[0][0]}").click()

    _no_reload_marker(page)
    chosen = dict(prefilled)
    for code, option in left:
        page.locator(f'input[name="opt-{code}"][value="{option}"]').check()
        chosen[code] = option
        # Updated at once, by the page itself: no reload, no round trip needed for the figure.
        expect(total).to_have_text(str(score_member(sheet, {k: v for k, v in chosen.items() if v}).total))
        expect(page.locator(f"#saved-c-{code.replace('.', '-')}")).to_contain_text("Đã lưu")
    assert _same_document(page)
    expect(page.locator("[data-score-missing]")).to_have_text("0")
    page.screenshot(path=f"{SHOTS}/council-sheet-tablet.png", full_page=False)
    page.get_by_role("button", name="Xem lại và nộp phiếu…").click()
    expected = score_member(sheet, {k: v for k, v in chosen.items() if v}).total
    expect(page.get_by_test_id("review-total")).to_have_text(str(expected))
    page.screenshot(path=f"{SHOTS}/council-review-tablet.png", full_page=True)
    page.get_by_role("button", name=f"Nộp phiếu {expected} điểm").click()
    expect(page.locator(".messages")).to_contain_text("Đã nộp phiếu chấm")
    assert ScoreSheet.objects.get(evaluation=evaluation, member__user=chair).submitted_at is not None


@pytest.mark.parametrize("sized", ["phone_page", "page"], ids=["390", "1366"])
def test_producer_sees_the_self_assessment_follow_and_is_warned_of_what_is_missing(
    sized, request, live_server, world
):
    page, base = request.getfixturevalue(sized), live_server.url
    producer = world.users.producer
    dossier = dossiers.dossier_create(
        user=producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    sheet = dossier.criteria_version.sheet
    best = list(best_choices(sheet).items())
    for code, option in best[1:6]:
        dossiers.dossier_choose(user=producer, dossier=dossier, code=code, option=option)
    browser_login(page, base, "htx-nammau")
    page.goto(f"{base}/danh-gia/ho-so/{dossier.pk}/")
    total = page.locator("[data-score-total]")
    expect(total).to_have_text(str(score_member(sheet, dict(best[1:6])).total))
    _no_reload_marker(page)
    code, option = best[0]
    page.locator(f'input[name="opt-{code}"][value="{option}"]').check()
    expect(total).to_have_text(str(score_member(sheet, dict(best[:6])).total))
    expect(page.locator(f"#saved-c-{code.replace('.', '-')}")).to_contain_text("Đã lưu")
    assert _same_document(page)

    page.get_by_role("link", name=re.compile(r"^Xem lại và nộp hồ sơ")).click()
    missing = page.get_by_test_id("unanswered-count")
    expect(missing).to_contain_text("tiêu chí chưa tự chấm")
    count = int(re.search(r"Còn (\d+)", missing.inner_text()).group(1))
    assert count > 20
    expect(page.get_by_test_id("review-total")).to_have_text(str(score_member(sheet, dict(best[:6])).total))
    page.screenshot(path=f"{SHOTS}/dossier-review-{sized}.png", full_page=True)
    # Submitting without saying "submit anyway" is refused, with the error summary on top.
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.title().startswith("Lỗi:")
    assert Dossier.objects.get().submitted_at is None
    page.get_by_label(f"Tôi biết hồ sơ còn {count} tiêu chí chưa tự chấm và vẫn nộp").check()
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_test_id("dossier-status")).to_have_text("Đã nộp")
    assert Dossier.objects.get().submitted_at is not None
