"""Every page renders for the roles that use it (and the nav entry is there)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ocop.evaluation.services import dossiers as services

from .factories import evaluation_in_council

pytestmark = pytest.mark.django_db


def test_pages_render_for_each_role(client, world):
    ev = evaluation_in_council(world)
    draft = services.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2027, round_number=1, kind="upgraded"
    )
    pages = {
        world.users.producer: [
            reverse("evaluation:home"),
            reverse("evaluation:idea_create"),
            reverse("evaluation:dossier_create"),
            reverse("evaluation:dossier_detail", args=[draft.pk]),
            reverse("evaluation:evaluation_detail", args=[ev.evaluation.pk]),
        ],
        world.users.province: [
            reverse("evaluation:home"),
            reverse("evaluation:council_list"),
            reverse("evaluation:council_detail", args=[ev.council.pk]),
            reverse("evaluation:dossier_detail", args=[ev.dossier.pk]),
            reverse("evaluation:evaluation_detail", args=[ev.evaluation.pk]),
            reverse("evaluation:criteria_list"),
        ],
        world.users.council: [
            reverse("evaluation:home"),
            reverse("evaluation:council_list"),
            reverse("evaluation:council_detail", args=[ev.council.pk]),
            reverse("evaluation:evaluation_score", args=[ev.evaluation.pk]),
            reverse("evaluation:evaluation_detail", args=[ev.evaluation.pk]),
        ],
        world.users.admin: [reverse("evaluation:criteria_upload"), reverse("evaluation:home")],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            assert "Đánh giá" in response.content.decode()


def test_council_member_home_lists_their_dossiers_to_score(client, world):
    ev = evaluation_in_council(world)
    client.force_login(world.users.council)
    page = client.get(reverse("evaluation:home")).content.decode()
    assert "Hồ sơ cần chấm" in page and ev.dossier.product.name in page


def test_outsider_council_page_is_404(client, world):
    ev = evaluation_in_council(world)
    client.force_login(world.users.outsider)
    assert client.get(reverse("evaluation:council_detail", args=[ev.council.pk])).status_code == 404
    client.force_login(world.users.producer)
    assert client.get(reverse("evaluation:council_detail", args=[ev.council.pk])).status_code == 404


def test_council_member_home_pages_fifty_at_a_time(client, world):
    from ocop import testing
    from ocop.evaluation.choices import DossierStatus
    from ocop.evaluation.models import Dossier, Evaluation

    ev = evaluation_in_council(world)
    for i in range(55):
        product = testing.make_product(entity=ev.dossier.entity, name=f"Sản phẩm hội đồng {i:02d}")
        dossier = Dossier.objects.create(
            product=product,
            entity=product.entity,
            commune=product.commune,
            criteria_version=ev.dossier.criteria_version,
            year=2026,
            round_number=1,
            status=DossierStatus.IN_COUNCIL,
        )
        Evaluation.objects.create(dossier=dossier, session=ev.session)
    client.force_login(world.users.council)
    first = client.get(reverse("evaluation:home"))
    assert len(first.context["to_score"]) == 50
    assert "Trang 1 / 2 · 56 mục" in first.content.decode()
    second = client.get(reverse("evaluation:home") + "?page=2")
    assert len(second.context["to_score"]) == 6
