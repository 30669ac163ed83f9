"""The staff home's work queue: apps register their sources, every count stays inside the user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ocop.certification.services.events import event_record
from ocop.core import queues
from ocop.core.queues import QueueEntry, register_queue_source, work_queue
from ocop.evaluation.tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def counts(user, day: dt.date = TODAY) -> dict[str, int]:
    return {entry.label: entry.count for entry in work_queue(user=user, today=day)}


@pytest.fixture
def extra_source():
    saved = dict(queues._sources)
    yield
    queues._sources.clear()
    queues._sources.update(saved)


def test_every_domain_app_registers_its_queue_source():
    expected = {"core", "evaluation", "certification", "portal", "traceability", "ideas", "inspections"}
    assert expected <= set(queues.registered_sources())


def test_registered_source_is_asked_and_waiting_urgent_work_comes_first(world, extra_source):
    def source(user, today):
        return [
            QueueEntry("Việc không có gì", 0, "/a/", "Thử", urgent=True),
            QueueEntry("Việc thường", 2, "/b/", "Thử"),
            QueueEntry("Việc gấp", 1, "/c/", "Thử", urgent=True),
        ]

    queues._sources.clear()
    register_queue_source("thu", source)
    register_queue_source("thu", source)  # a second ready() replaces, never doubles
    labels = [entry.label for entry in work_queue(user=world.users.province, today=TODAY)]
    assert labels == ["Việc gấp", "Việc thường", "Việc không có gì"]


def test_signed_out_visitor_has_no_queue(world):
    from django.contrib.auth.models import AnonymousUser

    assert work_queue(user=AnonymousUser(), today=TODAY) == []


def test_submitted_dossier_waits_for_its_commune_then_for_the_province(world):
    dossier = factories.submitted_dossier(world)
    assert counts(world.users.commune)["Hồ sơ chờ xã chấm, đề xuất lên tỉnh"] == 1
    assert counts(world.users.province)["Hồ sơ chờ tiếp nhận"] == 0
    assert counts(world.users.producer)["Hồ sơ đang soạn, chưa nộp"] == 0
    factories.commune_scores(world, dossier)
    assert counts(world.users.commune)["Hồ sơ chờ xã chấm, đề xuất lên tỉnh"] == 0
    assert counts(world.users.province)["Hồ sơ chờ tiếp nhận"] == 1
    assert counts(world.users.outsider)["Hồ sơ chờ tiếp nhận"] == 0  # Hà Tĩnh's officer sees nothing of it


def test_council_member_sees_the_sheet_to_score_until_submitted(world):
    setup = factories.evaluation_in_council(world)
    label = "Phiếu chấm chờ bạn chấm"
    assert counts(world.users.council)[label] == 1
    assert counts(setup.members[1])[label] == 1
    sheet = setup.dossier.criteria_version.sheet
    factories.score_all(setup.evaluation, setup.members[:1], [factories.choices_near(sheet, 80)])
    assert counts(world.users.council)[label] == 0
    assert counts(setup.members[1])[label] == 1


def test_ministry_sees_only_the_dossiers_proposed_to_it(world):
    entries = counts(world.users.ministry)
    assert entries == {"Hồ sơ các tỉnh đề nghị công nhận 5 sao": 0}


def test_lapsed_and_expiring_certificates_counted_in_scope(world):
    event_record(
        product=world.products.mien, stars=4, decision_date=dt.date(2023, 12, 20), decision_number="1"
    )
    event_record(product=world.products.che, stars=3, decision_date=dt.date(2022, 1, 10), decision_number="2")
    event_record(product=world.products.keo, stars=3, decision_date=dt.date(2023, 12, 1), decision_number="3")
    lapsed, expiring = (
        "Giấy chứng nhận đã hết hạn, chưa công nhận lại",
        "Giấy chứng nhận hết hạn trong 30 ngày",
    )
    province = counts(world.users.province)
    assert (province[lapsed], province[expiring]) == (1, 1)
    outsider = counts(world.users.outsider)
    assert (outsider[lapsed], outsider[expiring]) == (0, 1)  # only Hà Tĩnh's sweet
    assert counts(world.users.producer)["Giấy chứng nhận sắp hết hạn, cần đánh giá lại"] == 1
    assert lapsed not in counts(world.users.producer)
    assert [e.label for e in work_queue(user=world.users.province, today=TODAY)][0] == lapsed  # urgent first


def test_each_role_gets_only_its_own_kinds_of_work(world):
    assert set(counts(world.users.council)) == {"Phiếu chấm chờ bạn chấm"}
    province = set(counts(world.users.province))
    assert {"Phản ánh của người dân chờ trả lời", "Cảnh báo tem chưa xử lý"} <= province
    assert {"Kiểm tra quá hạn chưa thực hiện", "Ý tưởng sản phẩm chờ xem xét"} <= province
    assert "Phản ánh của người dân chờ trả lời" not in counts(world.users.commune)
    assert "Cảnh báo tem chưa xử lý" not in counts(world.users.producer)


def test_failed_job_of_the_user_shows_only_to_them(world):
    from ocop.core.models import Job

    Job.objects.create(
        task_path="x.y", title="Nhập danh sách", user=world.users.province, status=Job.Status.FAILED
    )
    label = "Việc nền bị lỗi trong 7 ngày qua"
    from django.utils import timezone

    today = timezone.localdate()
    assert counts(world.users.province, today)[label] == 1
    assert label not in counts(world.users.outsider, today)
    assert counts(world.users.admin, today)[label] == 1


def test_home_lists_waiting_work_with_links(client, world):
    factories.submitted_dossier(world)
    client.force_login(world.users.commune)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Hồ sơ chờ xã chấm, đề xuất lên tỉnh" in html
    assert f"{reverse('evaluation:home')}?trang_thai=submitted&amp;trang_thai=resubmitted" in html
    client.force_login(world.users.outsider)
    response = client.get(reverse("workspace:home"))
    assert response.context["waiting"] == [] and "Không có việc nào đang chờ bạn" in response.content.decode()


def test_queue_link_filters_the_dossier_table(client, world):
    factories.submitted_dossier(world)
    client.force_login(world.users.commune)
    url = reverse("evaluation:home")
    assert "Miến dong Nam Mẫu" in client.get(url, {"trang_thai": "submitted"}).content.decode()
    assert "Miến dong Nam Mẫu" not in client.get(url, {"trang_thai": "checked"}).content.decode()


def test_dossier_the_province_proposed_to_the_ministry_waits_at_the_ministry_not_the_province(world):
    from ocop.evaluation.models import Dossier, Evaluation

    setup = factories.evaluation_in_council(world)
    Evaluation.objects.filter(pk=setup.evaluation.pk).update(status="forwarded", forwarded_to="ministry")
    Dossier.objects.filter(pk=setup.dossier.pk).update(status="forwarded", at_ministry=True)
    assert counts(world.users.province)["Hồ sơ chờ tiếp nhận"] == 0
    assert counts(world.users.ministry)["Hồ sơ các tỉnh đề nghị công nhận 5 sao"] == 1
    Evaluation.objects.filter(pk=setup.evaluation.pk).update(forwarded_to="province")  # a district's proposal
    Dossier.objects.filter(pk=setup.dossier.pk).update(at_ministry=False)
    assert counts(world.users.province)["Hồ sơ chờ tiếp nhận"] == 1


def test_to_receive_link_lists_what_the_count_counts(client, world):
    dossier = factories.commune_scores(world, factories.submitted_dossier(world))
    client.force_login(world.users.province)
    entry = next(
        e for e in work_queue(user=world.users.province, today=TODAY) if e.label == "Hồ sơ chờ tiếp nhận"
    )
    response = client.get(entry.url)
    assert [d.pk for d in response.context["dossiers"]] == [dossier.pk]
    client.force_login(world.users.outsider)
    assert list(client.get(entry.url).context["dossiers"]) == []
