"""One dossier through each legal period's flow: who may do each step, and what the documents print.

1048/QĐ-TTg (2019–2023): the district pre-scores and forwards ≥ 50; the province recognises 3★–4★.
148/QĐ-TTg (2023–06/2025): the district recognises 3★ and forwards ≥ 70; the province 4★; the ministry 5★.
From 01/07/2025 (1489/QĐ-TTg): the commune scores its criteria and proposes; the province recognises 3★–4★
and proposes ≥ 90 to the ministry, which recognises 5★ or returns the result at 4★."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ocop.certification.documents import certificate_lines, recognition_decision, render_docx, render_pdf
from ocop.certification.models import Certificate, RecognitionEvent
from ocop.evaluation.choices import CouncilLevel, DossierStatus, EvaluationStatus
from ocop.evaluation.documents import forward_letter, minutes_document, score_sheet_document
from ocop.evaluation.models import CommuneAssessment, Dossier, Evaluation, ScoreSheet
from ocop.evaluation.services import councils, intake, results

from .factories import (
    checked_dossier,
    choices_near,
    commune_scores,
    council_with_members,
    score_all,
    submitted_dossier,
)
from .helpers import best_choices, docx_text, pdf_text

pytestmark = pytest.mark.django_db

REFORM_MESSAGE = "Từ 01/07/2025 không còn cấp huyện (Quyết định 1489/QĐ-TTg)."


def _district_received(world, day: dt.date) -> Dossier:
    dossier = submitted_dossier(world, submitted_on=day)
    intake.dossier_receive(user=world.users.district, dossier=dossier)
    return intake.dossier_check(user=world.users.district, dossier=dossier, note="Đủ thành phần.")


def _scored(world, dossier, *, level, date, target, officer=None, prefix):
    setup = council_with_members(world, level=level, date=date, prefix=prefix, officer=officer)
    evaluation = councils.evaluation_open(user=setup.officer, dossier=dossier, session=setup.session)
    sheet = dossier.criteria_version.sheet
    choices = best_choices(sheet) if target >= 100 else choices_near(sheet, target)
    score_all(evaluation, setup.members, [choices] * len(setup.members))
    return evaluation, setup


def _event_documents(event: RecognitionEvent) -> tuple[str, str]:
    doc = recognition_decision(
        number=event.decision_number, date=event.decision_date, signer=event.signer, events=[event]
    )
    return docx_text(render_docx(doc)), pdf_text(render_pdf(doc))


# -- 148/QĐ-TTg: the district recognises 3★ ------------------------------------------------------------------
def test_148_district_receives_scores_and_recognises_three_stars(world):
    dossier = submitted_dossier(world, submitted_on=dt.date(2024, 3, 1))
    # Before 01/07/2025 the district receives the dossier; the commune does not score, the province does not
    # receive it.
    with pytest.raises(ValidationError, match="148/QĐ-TTg"):
        intake.dossier_receive(user=world.users.province, dossier=dossier)
    with pytest.raises(ValidationError, match="cấp xã"):
        intake.commune_choose(user=world.users.commune, dossier=dossier, code="A1.a", option=1)
    intake.dossier_receive(user=world.users.district, dossier=dossier)
    intake.dossier_check(user=world.users.district, dossier=dossier, note="Đủ thành phần.")
    evaluation, _setup = _scored(
        world, dossier, level=CouncilLevel.DISTRICT, date=dt.date(2024, 4, 10), target=62, prefix="h148"
    )
    assert evaluation.stars == 3 and results.forward_level(evaluation) is None  # < 70 stays at the district
    assert results.decidable_stars(evaluation) == 3
    with pytest.raises(ValidationError, match="chỉ cán bộ cấp huyện"):
        results.decision_record(
            user=world.users.province, evaluation=evaluation, number="X", date=dt.date(2024, 5, 2)
        )
    with pytest.raises(ValidationError, match=REFORM_MESSAGE.replace("(", r"\(").replace(")", r"\)")):
        results.decision_record(
            user=world.users.district, evaluation=evaluation, number="X", date=dt.date(2025, 7, 2)
        )
    assert not RecognitionEvent.objects.exists()  # nothing partial

    results.decision_record(
        user=world.users.district,
        evaluation=evaluation,
        number="15/QĐ-UBND",
        date=dt.date(2024, 5, 2),
        signer="Hoàng Văn B",
    )
    event = RecognitionEvent.objects.get()
    assert (event.issuing_level, event.stars) == ("district", 3)
    docx, pdf = _event_documents(event)
    for text in (docx, pdf):
        assert "ỦY BAN NHÂN DÂN HUYỆN BA BỂ" in text
        assert "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN BA BỂ" in text
        assert "Quyết định số 148/QĐ-TTg ngày 24/02/2023" in text and "1489/QĐ-TTg" not in text
        assert "Ba Bể, ngày 02 tháng 05 năm 2024" in text and "UBND tỉnh (để báo cáo)" in text
    # The certificate of an abolished district stays valid to its end date and names the district.
    certificate = Certificate.objects.get(event=event)
    assert certificate.valid_to == dt.date(2027, 5, 1)
    assert certificate.status_on(dt.date(2026, 12, 7)) == "in_force"
    assert certificate_lines(certificate)["heading"] == "ỦY BAN NHÂN DÂN HUYỆN BA BỂ"


def test_148_district_forwards_seventy_plus_to_the_province_which_recognises_four_stars(world):
    dossier = _district_received(world, dt.date(2024, 3, 1))
    lower, _setup = _scored(
        world, dossier, level=CouncilLevel.DISTRICT, date=dt.date(2024, 4, 10), target=76, prefix="h148f"
    )
    assert lower.stars == 4 and results.decidable_stars(lower) is None  # 4★ is the province's
    assert results.forward_level(lower) == CouncilLevel.PROVINCE
    with pytest.raises(ValidationError, match="chỉ cán bộ cấp huyện"):
        results.evaluation_forward(
            user=world.users.province_legacy, evaluation=lower, number="1", date=dt.date(2024, 4, 20)
        )
    results.evaluation_forward(
        user=world.users.district,
        evaluation=lower,
        number="25/UBND-NN",
        date=dt.date(2024, 4, 20),
        signer="Hoàng Văn B",
    )
    lower.refresh_from_db()
    assert lower.forwarded_to == "province" and Dossier.objects.get().status == DossierStatus.FORWARDED
    letter = docx_text(render_docx(forward_letter([lower])))
    assert "ỦY BAN NHÂN DÂN HUYỆN BA BỂ" in letter and "Kính gửi: Ủy ban nhân dân tỉnh Bắc Kạn." in letter
    assert "đạt từ 70 điểm trở lên" in letter and "Số: 25/UBND-NN" in letter

    upper, _ = _scored(
        world,
        Dossier.objects.get(),
        level=CouncilLevel.PROVINCE,
        date=dt.date(2024, 5, 15),
        target=76,
        officer=world.users.province_legacy,
        prefix="t148",
    )
    assert results.decidable_stars(upper) == 4
    results.decision_record(
        user=world.users.province_legacy, evaluation=upper, number="40/QĐ-UBND", date=dt.date(2024, 6, 1)
    )
    event = RecognitionEvent.objects.get()
    assert (event.issuing_level, event.stars) == ("province", 4)
    docx, _pdf = _event_documents(event)
    assert "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN" in docx and "HUYỆN" not in docx.split("QUYẾT ĐỊNH")[0]


# -- 1048/QĐ-TTg: the district only pre-scores ---------------------------------------------------------------
def test_1048_district_prescores_and_the_province_recognises_three_stars(world):
    dossier = _district_received(world, dt.date(2021, 3, 1))
    lower, _ = _scored(
        world, dossier, level=CouncilLevel.DISTRICT, date=dt.date(2021, 4, 1), target=62, prefix="h1048"
    )
    assert lower.stars == 3 and results.decidable_stars(lower) is None  # the district recognises nothing
    with pytest.raises(ValidationError, match="1048/QĐ-TTg.*cấp tỉnh công nhận"):
        results.decision_record(
            user=world.users.district, evaluation=lower, number="X", date=dt.date(2021, 4, 5)
        )
    assert results.forward_level(lower) == CouncilLevel.PROVINCE  # ≥ 50 goes up under 1048
    results.evaluation_forward(
        user=world.users.district, evaluation=lower, number="9/UBND", date=dt.date(2021, 4, 8)
    )
    assert "đạt từ 50 điểm trở lên" in forward_letter([Evaluation.objects.get(pk=lower.pk)]).text
    upper, _ = _scored(
        world,
        Dossier.objects.get(),
        level=CouncilLevel.PROVINCE,
        date=dt.date(2021, 5, 1),
        target=62,
        officer=world.users.province_legacy,
        prefix="t1048",
    )
    results.decision_record(
        user=world.users.province_legacy, evaluation=upper, number="7/QĐ-UBND", date=dt.date(2021, 5, 20)
    )
    event = RecognitionEvent.objects.get()
    assert (event.issuing_level, event.stars) == ("province", 3)
    docx, pdf = _event_documents(event)
    for text in (docx, pdf):
        assert "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN" in text
        assert "Quyết định số 1048/QĐ-TTg ngày 21/08/2019" in text and "Quyết định số 781/QĐ-TTg" in text
        assert "148/QĐ-TTg" not in text


# -- from 01/07/2025: commune, province, ministry ------------------------------------------------------------
def test_1489_commune_scores_its_criteria_and_proposes_before_the_province_receives(world):
    dossier = submitted_dossier(world)
    with pytest.raises(ValidationError, match="tỉnh tiếp nhận sau khi xã chấm và đề xuất"):
        intake.dossier_receive(user=world.users.province, dossier=dossier)
    with pytest.raises(ValidationError, match="chỉ cán bộ cấp xã"):
        intake.commune_choose(user=world.users.province, dossier=dossier, code="A1.a", option=1)
    with pytest.raises(ValidationError, match="không thuộc phần cấp xã chấm"):
        intake.commune_choose(user=world.users.commune, dossier=dossier, code="C9.a", option=1)
    intake.commune_choose(user=world.users.commune, dossier=dossier, code="A1.a", option=3)
    with pytest.raises(ValidationError, match="A2.a, A3.c, B5.b"):
        intake.dossier_propose(user=world.users.commune, dossier=dossier, note="Đề xuất")
    assert Dossier.objects.get().status == DossierStatus.SUBMITTED
    dossier = commune_scores(world, dossier)
    assessment = CommuneAssessment.objects.get(dossier=dossier)
    assert set(assessment.choices) == {"A1.a", "A2.a", "A3.c", "B5.b"} and assessment.proposed_at
    assert dossier.status == DossierStatus.PRE_ASSESSED
    with pytest.raises(ValidationError, match="không còn ở bước xã chấm"):
        intake.commune_choose(user=world.users.commune, dossier=dossier, code="A1.a", option=1)
    with pytest.raises(ValidationError, match="chỉ cán bộ cấp tỉnh"):
        intake.dossier_receive(user=world.users.commune, dossier=dossier)
    intake.dossier_receive(user=world.users.province, dossier=dossier)
    with pytest.raises(ValidationError, match="tổ tư vấn đã kiểm tra"):
        councils.evaluation_open(
            user=world.users.province, dossier=dossier, session=council_with_members(world, count=1).session
        )


def test_1489_province_proposes_ninety_plus_and_the_ministry_recognises_five_stars(world):
    dossier = checked_dossier(world)
    upper_level = CouncilLevel.MINISTRY
    province, _ = _scored(
        world, dossier, level=CouncilLevel.PROVINCE, date=dt.date(2026, 5, 10), target=100, prefix="t1489"
    )
    assert province.stars == 5 and results.decidable_stars(province) is None
    with pytest.raises(ValidationError, match="sản phẩm 5 sao do cấp trung ương công nhận"):
        results.decision_record(
            user=world.users.province, evaluation=province, number="X", date=dt.date(2026, 5, 20)
        )
    assert results.forward_level(province) == upper_level
    results.evaluation_forward(
        user=world.users.province,
        evaluation=province,
        number="120/UBND-KT",
        date=dt.date(2026, 5, 20),
        signer="Lê C",
    )
    dossier.refresh_from_db()
    assert dossier.at_ministry and dossier.status == DossierStatus.FORWARDED
    letter = forward_letter([Evaluation.objects.get(pk=province.pk)])
    for text in (docx_text(render_docx(letter)), pdf_text(render_pdf(letter))):
        assert "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN" in text
        assert "Bộ Nông nghiệp và Môi trường (Văn phòng Điều phối nông thôn mới Trung ương)" in text
        assert "V/v đề nghị đánh giá, công nhận sản phẩm OCOP 5 sao" in text
        assert "Quyết định số 1489/QĐ-TTg ngày 06/07/2025" in text
    # The ministry sees what was proposed to it, nothing else.
    assert list(Dossier.objects.for_user(world.users.ministry)) == [dossier]
    ministry, setup = _scored(
        world,
        dossier,
        level=upper_level,
        date=dt.date(2026, 6, 20),
        target=100,
        officer=world.users.ministry,
        prefix="bo",
    )
    assert results.decidable_stars(ministry) == 5
    with pytest.raises((ValidationError, PermissionDenied)):
        results.decision_record(
            user=world.users.province, evaluation=ministry, number="X", date=dt.date(2026, 7, 1)
        )
    results.decision_record(
        user=world.users.ministry,
        evaluation=ministry,
        number="2468/QĐ-BNNMT",
        date=dt.date(2026, 7, 1),
        signer="Đỗ D",
    )
    event = RecognitionEvent.objects.get()
    assert (event.issuing_level, event.stars, event.kind) == ("ministry", 5, "new")
    docx, pdf = _event_documents(event)
    for text in (docx, pdf):
        assert "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in text and "BỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" in text
        assert "Hà Nội, ngày 01 tháng 07 năm 2026" in text and "sản phẩm OCOP cấp quốc gia" in text
        assert "Quyết định số 1489/QĐ-TTg" in text
    lines = certificate_lines(Certificate.objects.get(event=event))
    assert lines["heading"] == "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG" and lines["signer_title"] == "BỘ TRƯỞNG"
    assert any("Bộ trưởng Bộ Nông nghiệp và Môi trường" in g for g in lines["grounds"])


def test_1489_ministry_returns_at_four_stars_and_the_province_recognises_four(world):
    dossier = checked_dossier(world)
    province, _ = _scored(
        world, dossier, level=CouncilLevel.PROVINCE, date=dt.date(2026, 5, 10), target=100, prefix="t4"
    )
    results.evaluation_forward(
        user=world.users.province, evaluation=province, number="121/UBND", date=dt.date(2026, 5, 20)
    )
    ministry, _ = _scored(
        world,
        dossier,
        level=CouncilLevel.MINISTRY,
        date=dt.date(2026, 6, 20),
        target=88,
        officer=world.users.ministry,
        prefix="b4",
    )
    assert ministry.stars == 4 and results.decidable_stars(ministry) is None
    with pytest.raises(ValidationError, match="chỉ cán bộ cấp trung ương"):
        results.evaluation_return_down(
            user=world.users.province, evaluation=ministry, note="x", date=dt.date(2026, 7, 1)
        )
    plan = results.return_down_plan(
        user=world.users.ministry, evaluation=ministry, note="Chưa đạt 5 sao", date=dt.date(2026, 7, 1)
    )
    assert plan.stars == 4 and "Cấp tỉnh ra quyết định công nhận 4 sao" in " ".join(plan.lines())
    results.evaluation_return_down(
        user=world.users.ministry, evaluation=ministry, note="Chưa đạt 5 sao", date=dt.date(2026, 7, 1)
    )
    province.refresh_from_db()
    ministry.refresh_from_db()
    assert ministry.status == EvaluationStatus.RETURNED and province.returned_on == dt.date(2026, 7, 1)
    assert results.decidable_stars(province) == 4
    results.decision_record(
        user=world.users.province, evaluation=province, number="88/QĐ-UBND", date=dt.date(2026, 7, 10)
    )
    event = RecognitionEvent.objects.get()
    assert (event.issuing_level, event.stars, event.score) == (
        "province",
        4,
        None,
    )  # 100 points lie in 5★'s band


def test_ministry_is_named_by_its_name_on_the_decision_date(world):
    from ocop.certification.services.events import event_record

    old, _ = event_record(
        product=world.products.mien,
        stars=5,
        decision_date=dt.date(2021, 6, 30),
        decision_number="2890/QĐ-BNN-VPĐP",
        issuing_level="ministry",
    )
    docx, _pdf = _event_documents(old)
    assert "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN" in docx and "MÔI TRƯỜNG" not in docx


def test_regression_district_officer_builds_no_ministry_council_province_officer_decides_no_five_stars(world):
    """Issue 18: a district officer created a ministry-level council, added members and a session, and a
    province officer then recorded a 5★ decision from it."""
    from ocop.evaluation.models import Council

    with pytest.raises(ValidationError, match="chỉ cán bộ cấp trung ương"):
        councils.council_create(
            user=world.users.district, level="ministry", year=2025, round_number=1, name="HĐ TW"
        )
    with pytest.raises(ValidationError, match="chỉ cán bộ cấp trung ương"):
        councils.council_create(
            user=world.users.province, level="ministry", year=2026, round_number=1, name="HĐ TW"
        )
    assert not Council.objects.exists()
    # A ministry council that somehow exists (created before the fix) cannot be run by them either.
    council = Council.objects.create(
        level="ministry", year=2025, name="HĐ cũ", created_by=world.users.district
    )
    with pytest.raises(ValidationError, match="cấp trung ương"):
        councils.council_member_add(
            user=world.users.district, council=council, member_user=world.users.council, role="chair"
        )
    with pytest.raises(ValidationError, match="cấp trung ương"):
        councils.session_create(user=world.users.district, council=council, date=dt.date(2025, 6, 1))
    assert not council.members.exists() and not council.sessions.exists()
    # And a province officer never records 5★, whatever council scored it.
    dossier = checked_dossier(world)
    province, _ = _scored(
        world, dossier, level=CouncilLevel.PROVINCE, date=dt.date(2026, 5, 10), target=100, prefix="rg"
    )
    with pytest.raises(ValidationError):
        results.decision_record(
            user=world.users.province, evaluation=province, number="X", date=dt.date(2026, 5, 30)
        )
    from ocop.certification.services.events import recognition_record

    with pytest.raises(ValidationError, match="cấp trung ương"):
        recognition_record(
            user=world.users.province,
            product=world.products.mien,
            stars=5,
            number="Y",
            date=dt.date(2026, 5, 30),
        )
    assert not RecognitionEvent.objects.exists()


# -- quorum --------------------------------------------------------------------------------------------------
def _quorum_case(world, *, present, prefix, chair_absent=False, percent=None):
    dossier = checked_dossier(world)
    setup = council_with_members(world, count=4, prefix=prefix)
    if percent is not None:
        Council = type(setup.council)
        Council.objects.filter(pk=setup.council.pk).update(quorum_percent=percent)
    attending = setup.seats[1 : present + 1] if chair_absent else setup.seats[:present]
    councils.session_attendance_record(user=setup.officer, session=setup.session, members=attending)
    evaluation = councils.evaluation_open(user=setup.officer, dossier=dossier, session=setup.session)
    best = best_choices(dossier.criteria_version.sheet)
    score_all(evaluation, [m.user for m in attending], [best] * len(attending))
    return evaluation, setup


def test_a_session_without_quorum_is_recorded_and_its_sheets_make_no_result(world):
    evaluation, setup = _quorum_case(world, present=2, prefix="q2")
    assert evaluation.status == EvaluationStatus.NO_QUORUM and evaluation.average is None
    assert ScoreSheet.objects.filter(evaluation=evaluation, submitted_at__isnull=False).count() == 2
    assert "Dự họp 2/4" in evaluation.explanation and "3/4" in evaluation.explanation
    minutes = minutes_document(setup.session, [evaluation]).text
    assert "Vắng" in minutes and "không tạo thành kết quả" in minutes


def test_three_of_four_with_the_chair_make_a_result_without_the_chair_they_do_not(world):
    evaluation, _ = _quorum_case(world, present=3, prefix="q3")
    assert evaluation.status == EvaluationStatus.COMPLETE and evaluation.average is not None
    absent_chair, _ = _quorum_case(world, present=3, prefix="q3c", chair_absent=True)
    assert absent_chair.status == EvaluationStatus.NO_QUORUM


def test_the_councils_own_rules_set_the_quorum(world):
    evaluation, _ = _quorum_case(world, present=2, prefix="q50", percent=50)
    assert evaluation.status == EvaluationStatus.COMPLETE


def test_an_absent_member_cannot_score(world):
    dossier = checked_dossier(world)
    setup = council_with_members(world, count=4, prefix="abs", present=3)
    evaluation = councils.evaluation_open(user=setup.officer, dossier=dossier, session=setup.session)
    from ocop.evaluation.services import scoring

    with pytest.raises(ValidationError, match="không có tên trong danh sách dự phiên họp"):
        scoring.score_choose(user=setup.members[3], evaluation=evaluation, code="A1.b", option=1)


# -- the documents officers wrote by hand --------------------------------------------------------------------
def test_minutes_and_score_sheets_print_each_member_and_the_result(world):
    dossier = checked_dossier(world)
    evaluation, setup = _scored(
        world, dossier, level=CouncilLevel.PROVINCE, date=dt.date(2026, 5, 10), target=76, prefix="mn"
    )
    minutes = minutes_document(setup.session, [evaluation])
    for text in (docx_text(render_docx(minutes)), pdf_text(render_pdf(minutes))):
        assert "BIÊN BẢN" in text and "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN" in text
        assert "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP" in text
        assert "Dự họp 3/3 thành viên" in text and dossier.product.name in text
        assert (
            f"Điểm trung bình: {evaluation.average:.2f}" in text
            and f"kết quả: {evaluation.stars} sao" in text
        )
        assert "CHỦ TỊCH HỘI ĐỒNG" in text and "THƯ KÝ HỘI ĐỒNG" in text
    sheet = evaluation.sheets.select_related("member__user").first()
    document = score_sheet_document(sheet)
    for text in (docx_text(render_docx(document)), pdf_text(render_pdf(document))):
        assert "PHIẾU ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP" in text and "NGƯỜI CHẤM" in text
        assert f"Tổng điểm: {sheet.total}" in text and sheet.member.user.full_name in text
        assert "A1.a" in text and "Đã nộp phiếu lúc" in text
