"""Councils and scoring: scoping, autosave, blocking, spread, held-back stars, forwarding, decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ocop import testing
from ocop.accounts.roles import Role
from ocop.certification.models import Certificate, RecognitionEvent
from ocop.evaluation.choices import CouncilLevel, DossierStatus, EvaluationStatus
from ocop.evaluation.criteria import sheet_path
from ocop.evaluation.models import CriteriaVersion, ScoreSheet
from ocop.evaluation.services import councils as services
from ocop.evaluation.services import results, scoring
from ocop.evaluation.services.criteria import criteria_version_load

from .factories import (
    choices_near,
    completed,
    council_with_members,
    evaluation_in_council,
    score_all,
    submitted_dossier,
)
from .helpers import best_choices, docx_text

pytestmark = pytest.mark.django_db


def _received(world, dossier):
    """Proposed by the commune, received and checked by the province (the two-level flow)."""
    from ocop.evaluation.services import intake

    from .factories import commune_scores

    dossier = commune_scores(world, dossier)
    intake.dossier_receive(user=world.users.province, dossier=dossier)
    return intake.dossier_check(user=world.users.province, dossier=dossier, note="Đủ thành phần.")


@pytest.fixture
def ev(world):
    return evaluation_in_council(world)


def test_council_member_sees_only_the_dossiers_of_their_sessions(client, world, ev):
    producer2 = testing.make_user(Role.PRODUCER, entity=world.entities.dong_thang, username="htx-dongthang")
    other = submitted_dossier(world, product=world.products.che, producer=producer2)
    stranger = testing.make_user(Role.COUNCIL_MEMBER, username="hoidong-khac")
    second = council_with_members(world, count=2, first=stranger, prefix="hd2")
    services.evaluation_open(
        user=world.users.province, dossier=_received(world, other), session=second.session
    )
    client.force_login(world.users.council)
    assert client.get(reverse("evaluation:evaluation_score", args=[ev.evaluation.pk])).status_code == 200
    assert client.get(reverse("evaluation:dossier_detail", args=[ev.dossier.pk])).status_code == 200
    assert client.get(reverse("evaluation:dossier_detail", args=[other.pk])).status_code == 404
    client.force_login(stranger)
    assert client.get(reverse("evaluation:evaluation_detail", args=[ev.evaluation.pk])).status_code == 404
    assert client.get(reverse("evaluation:evaluation_score", args=[ev.evaluation.pk])).status_code == 404
    client.force_login(world.users.outsider)
    assert client.get(reverse("evaluation:evaluation_detail", args=[ev.evaluation.pk])).status_code == 404


def test_score_saves_as_entered_and_survives_reload(client, world, ev):
    client.force_login(world.users.council)
    url = reverse("evaluation:evaluation_score", args=[ev.evaluation.pk])
    response = client.post(url, {"code": "A1.b", "opt-A1.b": "2"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Đã lưu" in body and "Tổng:" in body
    sheet = ScoreSheet.objects.get(evaluation=ev.evaluation, member__user=world.users.council)
    assert sheet.choices == {"A1.b": 2} and sheet.total == sheet.parts["A"] > 0
    assert 'name="opt-A1.b" value="2" checked' in client.get(url).content.decode()


def test_whole_sheet_with_one_bad_option_saves_none_of_it(client, world, ev):
    """Saving the whole sheet is one transaction: a bad option after good ones leaves no choice saved."""
    client.force_login(world.users.council)
    url = reverse("evaluation:evaluation_score", args=[ev.evaluation.pk])
    response = client.post(url, {"opt-A1.a": "2", "opt-A1.b": "2", "opt-A1.c": "99"})
    assert response.status_code == 302
    sheet = ScoreSheet.objects.filter(evaluation=ev.evaluation, member__user=world.users.council).first()
    assert sheet is None or sheet.choices == {}
    assert [m.level_tag for m in response.wsgi_request._messages] == ["error"]


def test_whole_sheet_is_saved_then_reviewed_before_it_is_submitted(client, world, ev):
    client.force_login(world.users.council)
    url = reverse("evaluation:evaluation_score", args=[ev.evaluation.pk])
    review = reverse("evaluation:evaluation_score_review", args=[ev.evaluation.pk])
    response = client.post(url, {"opt-A1.a": "2", "opt-A1.b": "2", "review": "1"})
    assert response.status_code == 302 and response["Location"] == review
    sheet = ScoreSheet.objects.get(evaluation=ev.evaluation, member__user=world.users.council)
    assert sheet.choices == {"A1.a": 2, "A1.b": 2} and sheet.submitted_at is None
    page = client.get(review).content.decode()
    missing = len(ev.evaluation.dossier.criteria_version.sheet.criteria) - 2
    assert f"Còn {missing} tiêu chí chưa chấm" in page and "Nộp phiếu" not in page.split("Chưa nộp được")[1]
    refused = client.post(review).content.decode()  # the rule is the service's: the page cannot bypass it
    assert "Chấm đủ rồi mới nộp phiếu được" in refused and "<title>Lỗi: " in refused  # the error summary
    sheet.refresh_from_db()
    assert sheet.submitted_at is None
    rest = {
        f"opt-{code}": "0" for code in completed(ev.evaluation.dossier.criteria_version.sheet, sheet.choices)
    }
    rest.update({"opt-A1.a": "2", "opt-A1.b": "2"})
    client.post(url, rest)
    assert "Nộp phiếu" in client.get(review).content.decode()
    response = client.post(review)
    assert response["Location"] == reverse("evaluation:evaluation_detail", args=[ev.evaluation.pk])
    sheet.refresh_from_db()
    assert sheet.submitted_at is not None and sheet.choices["A1.a"] == 2


def test_a_sheet_with_unanswered_criteria_is_not_submitted(world, ev):
    with pytest.raises(ValidationError, match="tiêu chí chưa chấm"):
        scoring.score_save(
            user=world.users.council, evaluation=ev.evaluation, choices=[("A1.a", 2)], submit=True
        )
    assert not ScoreSheet.objects.filter(submitted_at__isnull=False).exists()


def test_score_review_is_only_for_the_sheets_member(client, world, ev):
    review = reverse("evaluation:evaluation_score_review", args=[ev.evaluation.pk])
    client.force_login(world.users.outsider)
    assert client.get(review).status_code == 404
    client.force_login(world.users.province)
    assert client.get(review).status_code == 404


def test_result_blocked_until_every_member_has_submitted(world, ev):
    sheet = ev.evaluation.dossier.criteria_version.sheet
    best = best_choices(sheet)
    score_all(ev.evaluation, ev.members[:2], [best, best])
    assert ev.evaluation.status == EvaluationStatus.SCORING and ev.evaluation.average is None
    score_all(ev.evaluation, ev.members[2:], [best])
    assert ev.evaluation.status == EvaluationStatus.COMPLETE and ev.evaluation.average is not None


def test_change_after_submitting_reopens_the_sheet(world, ev):
    best = best_choices(ev.evaluation.dossier.criteria_version.sheet)
    score_all(ev.evaluation, ev.members, [best] * 3)
    scoring.score_choose(user=ev.members[1], evaluation=ev.evaluation, code="A1.b", option=1)
    ev.evaluation.refresh_from_db()
    assert ev.evaluation.status == EvaluationStatus.SCORING


def test_spread_of_ten_blocks_until_chair_explains(client, world, ev):
    sheet = ev.evaluation.dossier.criteria_version.sheet
    best = best_choices(sheet)
    low = choices_near(sheet, 85)
    score_all(ev.evaluation, ev.members, [best, best, low])
    assert ev.evaluation.spread_blocked and ev.evaluation.status == EvaluationStatus.BLOCKED
    with pytest.raises(PermissionDenied):
        scoring.evaluation_explain_spread(user=ev.members[1], evaluation=ev.evaluation, text="…")
    client.force_login(world.users.council)  # the chair
    client.post(
        reverse("evaluation:evaluation_action", args=[ev.evaluation.pk, "explain"]),
        {"note": "Thành viên 3 đánh giá thực tế tại cơ sở, hội đồng thống nhất."},
    )
    ev.evaluation.refresh_from_db()
    assert ev.evaluation.status == EvaluationStatus.COMPLETE
    assert "đã được chủ tịch hội đồng giải trình" in ev.evaluation.explanation


def test_result_page_shows_the_mandatory_criterion_that_held_the_product_back(client, world, ev):
    sheet = ev.evaluation.dossier.criteria_version.sheet
    choices = choices_near(sheet, 76, drop=("A3.e",))
    score_all(ev.evaluation, ev.members, [choices] * 3)
    evaluation = ev.evaluation
    assert evaluation.band_stars == 4 and evaluation.stars == 3
    assert evaluation.held_back_by == ["A3.e"]
    assert evaluation.average == Decimal(sum(sheet.by_code[c].option(n).points for c, n in choices.items()))
    client.force_login(world.users.producer)
    page = client.get(reverse("evaluation:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "chưa đạt tiêu chí bắt buộc 4 sao: A3.e Sở hữu trí tuệ" in page
    assert "Xếp hạng 3 sao" in page


def test_average_and_parts_to_two_decimals(world, ev):
    sheet = ev.evaluation.dossier.criteria_version.sheet
    best = best_choices(sheet)
    a = dict(best)
    b = {**best, "A1.b": 1}
    score_all(ev.evaluation, ev.members, [a, a, b])
    totals = sorted(s.total for s in ev.evaluation.sheets.all())
    expected = (Decimal(sum(totals)) / 3).quantize(Decimal("0.01"))
    assert ev.evaluation.average == expected
    assert set(ev.evaluation.parts) == {"A", "B", "C"}


def test_forwarding_follows_level_and_score(world):
    ev = evaluation_in_council(world)
    best = best_choices(ev.evaluation.dossier.criteria_version.sheet)
    score_all(ev.evaluation, ev.members, [best] * 3)
    assert results.forward_level(ev.evaluation) == CouncilLevel.MINISTRY  # province, ≥ 90
    assert results.decidable_stars(ev.evaluation) is None  # 5★ is the ministry's
    with pytest.raises(ValidationError):
        council_with_members(world, count=1, level=CouncilLevel.DISTRICT, date=dt.date(2025, 7, 1))


def test_decision_records_the_event_and_the_36_month_certificate(client, world, ev):
    sheet = ev.evaluation.dossier.criteria_version.sheet
    score_all(ev.evaluation, ev.members, [choices_near(sheet, 76, drop=("A3.e",))] * 3)
    client.force_login(world.users.district)
    client.post(
        reverse("evaluation:evaluation_action", args=[ev.evaluation.pk, "decide"]),
        {"number": "X", "date": "2026-06-01"},
    )
    assert not RecognitionEvent.objects.exists()  # only a province officer records decisions
    client.force_login(world.users.province)
    client.post(
        reverse("evaluation:evaluation_action", args=[ev.evaluation.pk, "decide"]),
        {"number": "123/QĐ-UBND", "date": "2026-06-01", "signer": "Phó Chủ tịch UBND tỉnh", "confirmed": "1"},
    )
    event = RecognitionEvent.objects.get(product=world.products.mien)
    assert (event.kind, event.stars, event.decision_number) == ("new", 3, "123/QĐ-UBND")
    certificate = Certificate.objects.get(event=event)
    assert certificate.valid_to == dt.date(2029, 5, 31)
    ev.dossier.refresh_from_db()
    assert ev.dossier.status == DossierStatus.DECIDED
    pdf = client.get(reverse("evaluation:certificate_pdf", args=[ev.evaluation.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(world.users.outsider)
    assert client.get(reverse("evaluation:certificate_pdf", args=[ev.evaluation.pk])).status_code == 404


def test_evaluation_keeps_its_criteria_version_after_a_new_one_is_loaded(world, ev):
    used = ev.dossier.criteria_version
    text = sheet_path(used.set_number).read_text(encoding="utf-8-sig")
    new, created = criteria_version_load(
        set_number=used.set_number, source_text=text + "\n\n", source_name="sua.csv"
    )
    assert created and new.is_active
    ev.dossier.refresh_from_db()
    assert ev.dossier.criteria_version_id == used.pk
    assert not CriteriaVersion.objects.get(pk=used.pk).is_active
    best = best_choices(used.sheet)
    score_all(ev.evaluation, ev.members, [best] * 3)
    assert ev.evaluation.average is not None


def test_advisor_cannot_score(world, ev):
    from ocop.evaluation.choices import MemberRole

    advisor = testing.make_user(Role.COUNCIL_MEMBER, username="tuvan")
    services.council_member_add(
        user=ev.officer, council=ev.council, member_user=advisor, role=MemberRole.ADVISOR
    )
    with pytest.raises(PermissionDenied):
        scoring.score_choose(user=advisor, evaluation=ev.evaluation, code="A1.b", option=1)


def test_chair_records_a_knockout_and_the_product_gets_no_star(client, world):
    product = testing.make_product(entity=world.entities.nam_mau, name="Bánh gai", set_number=5)
    dossier = _received(world, submitted_dossier(world, product=product))
    setup = council_with_members(world, count=3)
    ev = SimpleNamespace(
        members=setup.members,
        evaluation=services.evaluation_open(
            user=world.users.province, dossier=dossier, session=setup.session
        ),
    )
    sheet = ev.evaluation.dossier.criteria_version.sheet
    knockout = sheet.knockouts()[0].code
    best = best_choices(sheet)
    score_all(ev.evaluation, ev.members, [best] * 3)
    with pytest.raises(PermissionDenied):
        scoring.evaluation_knockouts_set(user=ev.members[1], evaluation=ev.evaluation, codes=[knockout])
    with pytest.raises(ValidationError):
        scoring.evaluation_knockouts_set(user=ev.members[0], evaluation=ev.evaluation, codes=["A1.b"])
    client.force_login(world.users.council)
    client.post(
        reverse("evaluation:evaluation_action", args=[ev.evaluation.pk, "knockouts"]),
        {"knockout": [knockout]},
    )
    ev.evaluation.refresh_from_db()
    assert ev.evaluation.stars == 0 and "Dừng đánh giá do điểm liệt" in ev.evaluation.explanation
    assert results.decidable_stars(ev.evaluation) is None


def test_decision_list_and_pdf(client, world, ev):
    sheet = ev.evaluation.dossier.criteria_version.sheet
    score_all(ev.evaluation, ev.members, [choices_near(sheet, 76, drop=("A3.e",))] * 3)
    results.decision_record(
        user=world.users.province,
        evaluation=ev.evaluation,
        number="9/QĐ-UBND",
        date=dt.date(2026, 6, 1),
        signer="Chủ tịch UBND tỉnh",
    )
    client.force_login(world.users.producer)
    assert "9/QĐ-UBND" in client.get(reverse("evaluation:decision_list")).content.decode()
    query = "?so=9/QĐ-UBND&ngay=2026-06-01"
    url = reverse("evaluation:decision_document", args=["pdf"]) + query
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    docx_url = reverse("evaluation:decision_document", args=["docx"]) + query
    response = client.get(docx_url)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    text = docx_text(response.content)
    assert "QUYẾT ĐỊNH" in text and "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN" in text
    assert ev.evaluation.dossier.product.name in text and "Chủ tịch UBND tỉnh" in text
    assert client.get(reverse("evaluation:decision_document", args=["odt"]) + query).status_code == 404
    client.force_login(world.users.outsider)
    assert client.get(url).status_code == 404
    assert client.get(docx_url).status_code == 404


def test_evidence_library_page(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users.producer)
    response = client.post(
        reverse("evaluation:evidence_library"),
        {"title": "Giấy đăng ký HTX", "file": SimpleUploadedFile("dk.pdf", b"%PDF-1.4 x"), "valid_until": ""},
    )
    assert response.status_code == 302
    assert "Giấy đăng ký HTX" in client.get(reverse("evaluation:evidence_library")).content.decode()
    client.force_login(world.users.outsider)
    assert "Giấy đăng ký HTX" not in client.get(reverse("evaluation:evidence_library")).content.decode()
