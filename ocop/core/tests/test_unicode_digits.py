"""Unicode digits ("²", "١", "５") are digits to str.isdigit but not to int(): wherever an id or a number is
typed they gave a 500 (issue 18). Now they are a clear 4xx or a clear CLI error."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from ocop.core.text import is_ascii_digits
from ocop.geography.resolver import UnitResolver
from ocop.products.gtin import gtin_is_valid

pytestmark = pytest.mark.django_db
ODD = ["²", "١٢", "５", "0²"]


def test_only_ascii_digits_count_as_digits():
    assert is_ascii_digits("0123") and not is_ascii_digits("")
    assert not any(is_ascii_digits(text) for text in ODD)
    assert not gtin_is_valid("²" * 13)


@pytest.mark.parametrize("text", ODD)
def test_stats_cli_names_the_unknown_province(places, text):
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("stats", "--province", text, "--as-of", "2025-01-01", "--json", stdout=io.StringIO())


@pytest.mark.parametrize("text", ODD)
def test_the_unit_resolver_does_not_crash(places, text):
    from ocop.geography.lookup_errors import UnitLookupError

    with pytest.raises(UnitLookupError):
        UnitResolver().resolve_province(text)


@pytest.mark.parametrize("text", ODD)
def test_web_and_api_parameters_answer_4xx(client, world, text):
    assert client.get("/api/v1/products", {"province": text}).status_code < 500
    client.force_login(world.users.admin)
    assert client.get("/api/v1/stats", {"province": text}).status_code == 404
    assert client.get(reverse("targets:dashboard"), {"unit": text}).status_code == 404
    assert client.get(reverse("support:kpis"), {"unit": text}).status_code in (200, 404)
    assert client.get("/tim-kiem/", {"province": text}).status_code < 500
    client.force_login(world.users.producer)
    assert client.get(reverse("products:product_create"), {"entity": text}).status_code == 200
    assert client.get(reverse("traceability:batch_create"), {"san_pham": text}).status_code == 200
