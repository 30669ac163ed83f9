"""Producer side: ideas, dossiers, self-assessment, evidence, submission, return and supplement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.evaluation.choices import DossierStatus, IdeaStatus
from ocop.evaluation.models import DossierEvidence, ProductIdea
from ocop.evaluation.services import dossiers as services
from ocop.products.models import ProductSet

from .factories import submitted_dossier

pytestmark = pytest.mark.django_db


def _pdf(name="giay.pdf", size=100):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


def test_idea_accepted_by_commune_officer_registers_the_product(client, world):
    client.force_login(world.users.producer)
    product_set = ProductSet.objects.filter(group__classification__is_current=True, number=6).first()
    response = client.post(
        reverse("evaluation:idea_create"),
        {
            "product_name": "Bánh đa Nam Mẫu",
            "product_set": product_set.pk,
            "kind": "new",
            "year": 2026,
            "description": "Bánh đa gạo địa phương",
        },
    )
    idea = ProductIdea.objects.get()
    assert response.status_code == 302 and idea.status == IdeaStatus.SUBMITTED
    client.force_login(world.users.commune)
    client.post(reverse("evaluation:idea_detail", args=[idea.pk]), {"decision": "accept", "reason": ""})
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED
    assert idea.product.name == "Bánh đa Nam Mẫu" and idea.product.entity == world.entities.nam_mau


def test_idea_returned_needs_a_reason_and_outsider_gets_404(client, world):
    product_set = ProductSet.objects.filter(group__classification__is_current=True, number=6).first()
    idea = services.idea_submit(
        user=world.users.producer,
        entity=world.entities.nam_mau,
        product_name="Ý tưởng",
        product_set=product_set,
        description="…",
        kind="new",
        year=2026,
    )
    with pytest.raises(ValidationError):
        services.idea_review(user=world.users.district, idea=idea, accept=False, reason="")
    services.idea_review(user=world.users.district, idea=idea, accept=False, reason="Trùng sản phẩm đã có")
    assert ProductIdea.objects.get().status == IdeaStatus.RETURNED
    client.force_login(world.users.outsider)
    assert client.get(reverse("evaluation:idea_detail", args=[idea.pk])).status_code == 404


def test_self_assessment_autosaves_one_criterion_per_htmx_post(client, world):
    dossier = services.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    client.force_login(world.users.producer)
    response = client.post(
        reverse("evaluation:dossier_choose", args=[dossier.pk]),
        {"code": "A1.a", "opt-A1.a": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert "Đã lưu" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.self_assessment == {"A1.a": 2}
    page = client.get(reverse("evaluation:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'name="opt-A1.a" value="2" checked' in page
    bad = client.post(
        reverse("evaluation:dossier_choose", args=[dossier.pk]),
        {"code": "A1.a", "opt-A1.a": "99"},
        HTTP_HX_REQUEST="true",
    )
    assert "không hợp lệ" in bad.content.decode()


def test_whole_self_assessment_with_one_bad_option_saves_none_of_it(client, world):
    dossier = services.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    client.force_login(world.users.producer)
    url = reverse("evaluation:dossier_choose", args=[dossier.pk])
    client.post(url, {"opt-A1.a": "2", "opt-A1.b": "2", "opt-A1.c": "99"})
    dossier.refresh_from_db()
    assert dossier.self_assessment == {}
    client.post(url, {"opt-A1.a": "2", "opt-A1.b": "2"})
    dossier.refresh_from_db()
    assert dossier.self_assessment == {"A1.a": 2, "A1.b": 2}


def test_evidence_upload_checks_type_and_size(world):
    dossier = services.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    with pytest.raises(ValidationError, match="Không nhận tệp"):
        services.evidence_add(
            user=world.users.producer,
            dossier=dossier,
            code="A3.e",
            title="x",
            upload=SimpleUploadedFile("a.exe", b"MZ"),
        )
    with pytest.raises(ValidationError, match="10 MB"):
        services.evidence_add(
            user=world.users.producer,
            dossier=dossier,
            code="A3.e",
            title="x",
            upload=_pdf(size=11 * 1024 * 1024),
        )
    evidence = services.evidence_add(
        user=world.users.producer,
        dossier=dossier,
        code="A3.e",
        title="Giấy chứng nhận nhãn hiệu",
        upload=_pdf(),
    )
    assert DossierEvidence.objects.get(dossier=dossier).evidence == evidence


def test_attaching_and_detaching_library_evidence_is_audited(client, world):
    from ocop.core.models import AuditLog

    dossier = services.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    evidence = services.evidence_create(
        user=world.users.producer,
        entity=world.entities.nam_mau,
        title="Nhãn hiệu",
        url="https://example.vn/a",
    )
    client.force_login(world.users.producer)
    client.post(reverse("evaluation:evidence_attach", args=[dossier.pk, "A3.e"]), {"evidence": evidence.pk})
    link = DossierEvidence.objects.get(dossier=dossier, evidence=evidence)
    client.post(reverse("evaluation:evidence_detach", args=[dossier.pk, link.pk]))
    assert not DossierEvidence.objects.filter(pk=link.pk).exists()
    actions = list(
        AuditLog.objects.filter(model_label="evaluation.dossierevidence", object_pk=str(link.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["create", "delete"]


def test_evidence_file_is_scoped(client, world):
    dossier = services.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    evidence = services.evidence_add(
        user=world.users.producer, dossier=dossier, code="A3.e", title="GCN", upload=_pdf()
    )
    url = reverse("evaluation:evidence_file", args=[evidence.pk])
    client.force_login(world.users.province)
    assert client.get(url).status_code == 200
    for user in (world.users.outsider, world.users.council):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_returned_dossier_is_supplemented_online_and_keeps_each_submission(client, world):
    dossier = submitted_dossier(world)
    officer = world.users.commune  # from 01/07/2025 the dossier is submitted to the commune
    client.force_login(officer)
    url = reverse("evaluation:dossier_action", args=[dossier.pk, "return"])
    data = {"requests": "A3.e: Bổ sung giấy chứng nhận nhãn hiệu\nThiếu bản thuyết minh"}
    asked = client.post(url, data)  # asks once, saying what will happen
    assert "Việc này sẽ xảy ra" in asked.content.decode() and "A3.e: Bổ sung" in asked.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    client.post(url, {**data, "confirmed": "1"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    assert sorted(dossier.requests.values_list("criterion_code", flat=True)) == ["", "A3.e"]
    producer = world.users.producer
    services.evidence_add(user=producer, dossier=dossier, code="A3.e", title="GCN nhãn hiệu", upload=_pdf())
    services.dossier_choose(user=producer, dossier=dossier, code="A3.e", option=2)
    services.dossier_submit(user=producer, dossier=dossier, accept_missing=True)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESUBMITTED
    first, second = dossier.submissions.order_by("number")
    assert "A3.e" not in first.snapshot["self_assessment"] and second.snapshot["self_assessment"]["A3.e"] == 2
    assert [e["criterion"] for e in second.snapshot["evidence"]] == ["A3.e"] and not first.snapshot[
        "evidence"
    ]
    assert not dossier.requests.filter(resolved_at__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.dossier_choose(user=producer, dossier=dossier, code="A1.a", option=1)  # submitted: locked

    # The officer reads the second submission beside the first: A3.e changed, with its new evidence.
    page = client.get(reverse("evaluation:submission_detail", args=[dossier.pk, 2]))
    html = page.content.decode()
    assert page.status_code == 200 and "GCN nhãn hiệu" in html
    assert 'data-testid="changed-count"><strong>1</strong>' in html
    assert html.count("Đã sửa</span>") == 1
    assert client.get(reverse("evaluation:submission_detail", args=[dossier.pk, 3])).status_code == 404
    client.force_login(world.users.outsider)
    assert client.get(reverse("evaluation:submission_detail", args=[dossier.pk, 2])).status_code == 404


def test_next_dossier_reuses_valid_evidence_references(world):
    producer = world.users.producer
    first = services.dossier_create(
        user=producer, product=world.products.mien, year=2025, round_number=1, kind="new"
    )
    kept = services.evidence_add(
        user=producer, dossier=first, code="A3.e", title="GCN nhãn hiệu", upload=_pdf()
    )
    services.evidence_add(
        user=producer,
        dossier=first,
        code="A1.đ",
        title="Cam kết môi trường cũ",
        upload=_pdf(),
        valid_until=dt.date(2020, 1, 1),
    )
    upgrade = services.dossier_create(
        user=producer, product=world.products.mien, year=2026, round_number=1, kind="upgraded"
    )
    links = list(upgrade.evidence_links.all())
    assert [(link.criterion_code, link.evidence_id) for link in links] == [("A3.e", kept.pk)]


def test_producer_of_another_entity_and_outsider_get_404(client, world):
    dossier = submitted_dossier(world)
    url = reverse("evaluation:dossier_detail", args=[dossier.pk])
    client.force_login(world.users.outsider)
    assert client.get(url).status_code == 404
    client.force_login(world.users.council)
    assert client.get(url).status_code == 404
    client.force_login(world.users.province)
    assert client.get(url).status_code == 200


def test_evidence_files_are_not_under_the_public_media_root(client, world, settings):
    from pathlib import Path

    dossier = services.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    evidence = services.evidence_add(
        user=world.users.producer, dossier=dossier, code="A3.e", title="GCN", upload=_pdf()
    )
    path = Path(evidence.file.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


def test_submitting_shows_the_total_and_what_is_missing_and_asks_once(client, world):
    producer = world.users.producer
    dossier = services.dossier_create(
        user=producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    services.dossier_choose(user=producer, dossier=dossier, code="A1.a", option=1)
    services.evidence_add(user=producer, dossier=dossier, code="A1.a", title="Hợp đồng", upload=_pdf())
    sheet = dossier.criteria_version.sheet
    client.force_login(producer)
    url = reverse("evaluation:dossier_submit", args=[dossier.pk])
    page = client.get(url).content.decode()
    missing = len(sheet.criteria) - 1
    assert f"Còn {missing} tiêu chí chưa tự chấm" in page
    assert f'href="{dossier.get_absolute_url()}#c-A1-b"' in page  # each missing criterion is linked
    assert f"{missing} tiêu chí chưa có minh chứng" in page
    assert f"Tôi biết hồ sơ còn {missing} tiêu chí chưa tự chấm và vẫn nộp" in page
    refused = client.post(url)  # without the explicit "submit anyway": nothing is submitted
    assert refused.status_code == 200 and "<title>Lỗi: " in refused.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT
    with pytest.raises(ValidationError, match="chưa tự chấm"):
        services.dossier_submit(user=producer, dossier=dossier)  # the rule is the service's
    response = client.post(url, {"accept_missing": "on"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_a_complete_self_assessment_is_submitted_without_the_warning(client, world):
    from ocop.evaluation.scoring import NONE_APPLIES

    producer = world.users.producer
    dossier = services.dossier_create(
        user=producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    sheet = dossier.criteria_version.sheet
    choices = [(crit.code, 1 if crit.has_zero_option else NONE_APPLIES) for crit in sheet.criteria]
    services.dossier_assess(user=producer, dossier=dossier, choices=choices)
    client.force_login(producer)
    url = reverse("evaluation:dossier_submit", args=[dossier.pk])
    page = client.get(url).content.decode()
    assert "chưa tự chấm" not in page and "vẫn nộp" not in page
    assert client.post(url).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert client.get(url).status_code == 302  # submitted: no second submission from the review page


def test_review_page_is_404_for_outsiders(client, world):
    dossier = services.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )
    url = reverse("evaluation:dossier_submit", args=[dossier.pk])
    for user in (world.users.outsider, world.users.council):
        client.force_login(user)
        assert client.get(url).status_code == 404
