"""Stored, versioned criteria: loading, idempotence, corrected versions, flagged sheets, sheet pages."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ocop.evaluation.criteria import load_sheet, sheet_path
from ocop.evaluation.criteria.serialize import sheet_to_data
from ocop.evaluation.models import CriteriaVersion
from ocop.evaluation.services.criteria import active_criteria_version

pytestmark = pytest.mark.django_db


def _corrected_set_11(tmp_path):
    text = sheet_path(11).read_text(encoding="utf-8-sig")
    path = tmp_path / "set-11-sua.csv"
    path.write_text(text.replace("Giấy đăng ký", "Giấy Đăng Ký", 1) + "\n", encoding="utf-8")
    return path


def test_load_criteria_loads_26_sheets_once_and_flags_incomplete_ones():
    call_command("load_criteria", verbosity=0)
    call_command("load_criteria", verbosity=0)
    versions = CriteriaVersion.objects.filter(legal_version="148/2023")
    assert versions.count() == 26
    assert sorted(versions.filter(needs_review=True).values_list("set_number", flat=True)) == [7, 11, 12, 13]
    assert "Phần C" in versions.get(set_number=11).warnings or "C" in versions.get(set_number=11).warnings


def test_stored_sheet_equals_parsed_sheet():
    version = active_criteria_version(21)
    assert sheet_to_data(version.sheet) == sheet_to_data(load_sheet(21))


def test_corrected_file_becomes_new_active_revision_and_old_one_is_kept(tmp_path):
    first = active_criteria_version(11)
    call_command("load_criteria", "--set", "11", "--file", str(_corrected_set_11(tmp_path)), verbosity=0)
    call_command("load_criteria", "--set", "11", "--file", str(_corrected_set_11(tmp_path)), verbosity=0)
    first.refresh_from_db()
    current = active_criteria_version(11)
    assert current.revision == 2 and current.pk != first.pk
    assert not first.is_active and first.content  # kept for evaluations that used it
    assert CriteriaVersion.objects.filter(set_number=11).count() == 2


def test_load_criteria_refuses_a_file_without_criteria(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_criteria", "--set", "3", "--file", str(path), verbosity=0)


def test_officer_views_a_flagged_sheet_with_marks_and_warning(client, world):
    version = active_criteria_version(11)
    client.force_login(world.users.province)
    html = client.get(reverse("evaluation:criteria_detail", args=[version.pk])).content.decode()
    assert "Cần rà soát" in html
    assert "A3.e" in html and "★★★★" in html


def test_only_admin_uploads_a_corrected_sheet(client, world, tmp_path):
    active_criteria_version(11)
    client.force_login(world.users.province)
    assert client.get(reverse("evaluation:criteria_upload")).status_code == 403
    client.force_login(world.users.admin)
    with _corrected_set_11(tmp_path).open("rb") as fh:
        response = client.post(
            reverse("evaluation:criteria_upload"),
            {"legal_version": "148/2023", "set_number": 11, "file": fh},
        )
    assert response.status_code == 302
    assert active_criteria_version(11).revision == 2


def test_criteria_list_page(client, world):
    active_criteria_version(1)
    client.force_login(world.users.council)
    assert "Bộ 1" in client.get(reverse("evaluation:criteria_list")).content.decode()
