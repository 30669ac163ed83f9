"""Pages of the period flows: the commune's scoring and proposal, attendance, forwarding with its letter,
the ministry's desk, the documents — each irreversible action asks once, outsiders get 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.certification.models import RecognitionEvent
from ocop.evaluation.choices import CouncilLevel, DossierStatus, EvaluationStatus
from ocop.evaluation.models import CommuneAssessment, Dossier, Evaluation
from ocop.evaluation.services import councils

from .factories import checked_dossier, council_with_members, score_all, submitted_dossier
from .helpers import best_choices, docx_text, pdf_text

pytestmark = pytest.mark.django_db


def test_commune_officer_scores_on_the_dossier_page_and_proposes_after_one_confirmation(client, world):
    dossier = submitted_dossier(world)
    url = reverse("evaluation:dossier_detail", args=[dossier.pk])
    client.force_login(world.users.province)
    page = client.get(url).content.decode()
    assert "Phần xã chấm" not in page and "Đề xuất lên tỉnh" not in page  # not the province's step yet
    client.force_login(world.users.commune)
    page = client.get(url).content.decode()
    assert "Phần xã chấm (4 tiêu chí)" in page and 'name="xa-A1.a"' in page and 'name="xa-C9.a"' not in page
    choose = reverse("evaluation:commune_choose", args=[dossier.pk])
    saved = client.post(choose, {"code": "A1.a", "xa-A1.a": "3"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Đã lưu" in saved
    refused = client.post(choose, {"code": "C9.a", "xa-C9.a": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "không thuộc phần cấp xã chấm" in refused
    client.post(choose, {"xa-A2.a": "1", "xa-A3.c": "1", "xa-B5.b": "1"})  # without JavaScript: all at once
    assert CommuneAssessment.objects.get(dossier=dossier).choices == {
        "A1.a": 3,
        "A2.a": 1,
        "A3.c": 1,
        "B5.b": 1,
    }
    action = reverse("evaluation:dossier_action", args=[dossier.pk, "propose"])
    asked = client.post(action, {"note": "Sản phẩm đặc trưng"}).content.decode()
    assert "Việc này sẽ xảy ra" in asked and "đề xuất lên cấp tỉnh" in asked and 'name="confirmed"' in asked
    assert Dossier.objects.get().status == DossierStatus.SUBMITTED
    client.post(action, {"note": "Sản phẩm đặc trưng", "confirmed": "1"})
    assert Dossier.objects.get().status == DossierStatus.PRE_ASSESSED
    client.force_login(world.users.outsider)
    assert client.post(choose, {"code": "A1.a", "xa-A1.a": "1"}).status_code == 404


def test_province_receives_checks_and_assigns_on_the_page(client, world):
    from .factories import commune_scores

    dossier = commune_scores(world, submitted_dossier(world))
    setup = council_with_members(world, count=2, prefix="pg")
    client.force_login(world.users.province)
    url = reverse("evaluation:dossier_detail", args=[dossier.pk])
    assert "Tiếp nhận hồ sơ" in client.get(url).content.decode()
    client.post(reverse("evaluation:dossier_action", args=[dossier.pk, "receive"]))
    page = client.get(url).content.decode()
    assert "Kiểm tra của tổ tư vấn" in page and "Đưa ra hội đồng" not in page
    client.post(reverse("evaluation:dossier_action", args=[dossier.pk, "check"]), {"note": "Đủ thành phần"})
    assert "Ý kiến của tổ tư vấn: Đủ thành phần" in client.get(url).content.decode()
    client.post(
        reverse("evaluation:dossier_action", args=[dossier.pk, "assign"]), {"session": setup.session.pk}
    )
    assert Dossier.objects.get().status == DossierStatus.IN_COUNCIL


def test_attendance_is_recorded_on_the_council_page_and_decides_the_quorum(client, world):
    dossier = checked_dossier(world)
    setup = council_with_members(world, count=4, prefix="at")
    evaluation = councils.evaluation_open(user=setup.officer, dossier=dossier, session=setup.session)
    client.force_login(world.users.province)
    url = reverse("evaluation:council_detail", args=[setup.council.pk])
    page = client.get(url).content.decode()
    assert "Dự họp 4/4 thành viên" in page and "Danh sách dự họp ngày 10/05/2026" in page
    prefix = f"a{setup.session.pk}"
    client.post(
        url,
        {"attendance-session": setup.session.pk, f"{prefix}-members": [setup.seats[0].pk, setup.seats[1].pk]},
    )
    assert "Dự họp 2/4 thành viên" in client.get(url).content.decode()
    score_all(evaluation, setup.members[:2], [best_choices(dossier.criteria_version.sheet)] * 2)
    assert evaluation.status == EvaluationStatus.NO_QUORUM
    detail = client.get(reverse("evaluation:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "không đủ số thành viên" in detail and "Vắng" in detail
    client.force_login(world.users.council)  # a member does not record attendance
    assert client.post(url, {"attendance-session": setup.session.pk}).status_code == 403


def _province_result(world):
    dossier = checked_dossier(world)
    setup = council_with_members(world, count=3, prefix="fw")
    evaluation = councils.evaluation_open(user=setup.officer, dossier=dossier, session=setup.session)
    score_all(evaluation, setup.members, [best_choices(dossier.criteria_version.sheet)] * 3)
    return evaluation, setup


def test_forwarding_to_the_ministry_asks_once_and_prints_the_letter(client, world):
    evaluation, setup = _province_result(world)
    client.force_login(world.users.province)
    detail = client.get(reverse("evaluation:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "Đề nghị cấp trung ương" in detail and "Ghi quyết định công nhận" not in detail
    action = reverse("evaluation:evaluation_action", args=[evaluation.pk, "forward"])
    data = {"number": "120/UBND-KT", "date": "2026-05-20", "signer": "Lê C"}
    asked = client.post(action, data).content.decode()
    assert "Bộ Nông nghiệp và Môi trường" in asked and "120/UBND-KT" in asked
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.COMPLETE
    client.post(action, {**data, "confirmed": "1"})
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.FORWARDED
    query = "?so=120/UBND-KT&ngay=2026-05-20"
    docx = client.get(reverse("evaluation:forward_letter", args=["docx"]) + query)
    assert "Kính gửi: Bộ Nông nghiệp và Môi trường" in docx_text(docx.content)
    pdf = client.get(reverse("evaluation:forward_letter", args=["pdf"]) + query)
    assert "V/v đề nghị đánh giá, công nhận sản phẩm OCOP 5 sao" in pdf_text(pdf.content)
    client.force_login(world.users.ministry)
    home = client.get(reverse("evaluation:home")).content.decode()
    assert 'data-testid="proposed"><span class="tile__num">1</span>' in home
    assert client.get(reverse("evaluation:forward_letter", args=["pdf"]) + query).status_code == 200
    client.force_login(world.users.outsider)
    assert client.get(reverse("evaluation:forward_letter", args=["pdf"]) + query).status_code == 404


def test_the_ministry_records_five_stars_after_one_confirmation(client, world):
    evaluation, _setup = _province_result(world)
    from ocop.evaluation.services import results

    results.evaluation_forward(
        user=world.users.province, evaluation=evaluation, number="1", date=dt.date(2026, 5, 20)
    )
    ministry = council_with_members(
        world,
        level=CouncilLevel.MINISTRY,
        officer=world.users.ministry,
        prefix="mb",
        date=dt.date(2026, 6, 2),
    )
    client.force_login(world.users.ministry)
    dossier = evaluation.dossier
    client.post(
        reverse("evaluation:dossier_action", args=[dossier.pk, "assign"]), {"session": ministry.session.pk}
    )
    upper = Evaluation.objects.get(session=ministry.session)
    score_all(upper, ministry.members, [best_choices(dossier.criteria_version.sheet)] * 3)
    detail = client.get(reverse("evaluation:evaluation_detail", args=[upper.pk])).content.decode()
    assert "Ghi quyết định công nhận 5 sao" in detail and "Trả kết quả về cấp tỉnh" in detail
    action = reverse("evaluation:evaluation_action", args=[upper.pk, "decide"])
    data = {"number": "2468/QĐ-BNNMT", "date": "2026-06-15", "signer": "Đỗ D"}
    asked = client.post(action, data).content.decode()
    assert "Bộ Nông nghiệp và Môi trường công nhận" in asked and "đạt 5 sao" in asked
    assert not RecognitionEvent.objects.exists()
    client.post(action, {**data, "confirmed": "1"})
    assert RecognitionEvent.objects.get().issuing_level == "ministry"
    # The province never sees the decide form of the ministry's result, and the outsider nothing.
    client.force_login(world.users.province)
    assert client.get(reverse("evaluation:evaluation_detail", args=[upper.pk])).status_code == 200
    assert client.post(action, {**data, "confirmed": "1"}).status_code == 302
    assert RecognitionEvent.objects.count() == 1
    client.force_login(world.users.outsider)
    assert client.get(reverse("evaluation:evaluation_detail", args=[upper.pk])).status_code == 404


def test_minutes_and_score_sheets_download_for_the_council_not_for_producers_or_outsiders(client, world):
    evaluation, setup = _province_result(world)
    sheet = evaluation.sheets.first()
    minutes = reverse("evaluation:minutes", args=[setup.session.pk, "docx"])
    sheet_url = reverse("evaluation:score_sheet", args=[evaluation.pk, sheet.member_id, "pdf"])
    for user in (world.users.province, world.users.council):
        client.force_login(user)
        assert "BIÊN BẢN" in docx_text(client.get(minutes).content)
        assert "PHIẾU ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP" in pdf_text(client.get(sheet_url).content)
    for user in (world.users.producer, world.users.outsider, world.users.ministry):
        client.force_login(user)
        assert client.get(minutes).status_code == 404
        assert client.get(sheet_url).status_code == 404
