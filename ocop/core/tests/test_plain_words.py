"""Staff pages speak to officers, not to developers: no "Bearer", "EPCIS", "JSON", "CSV UTF-8", "ở nền"
("tạo ở nền", "chạy ở nền") or a bare "---------" as the label of an empty choice. The API's own
documentation page (/api/v1/docs) is where those words belong; it is not a staff page.

Every staff page reachable without an argument is rendered for an administrator (who sees every menu),
then the detail pages of a few records of each kind; the text a person reads (tags, scripts and styles
removed; option labels and button texts included) is searched."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ocop.accounts.models import User
from ocop.demo.national import generate_national
from ocop.testing import make_admin

pytestmark = pytest.mark.django_db

DEVELOPER_WORDS = ("Bearer", "EPCIS", "JSON", "CSV UTF-8", "ở nền", "---------")
STAFF_PREFIXES = (
    "quan-ly/",
    "tai-khoan/bao-mat/",
    "chu-the/",
    "san-pham/",
    "chung-nhan/",
    "nhap-du-lieu/",
    "thong-ke/",
    "danh-gia/",
    "truy-xuat/",
    "ho-tro/",
    "y-tuong/",
    "kiem-tra/",
    "kinh-phi/",
)
# A search that finds the administrator (make_admin's full name): the page with its export button.
PERSON_SEARCH = "/quan-ly/du-lieu-ca-nhan/?q=Ng%C6%B0%E1%BB%9Di+d%C3%B9ng"
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def _plain_paths(patterns, prefix: str = "") -> Iterator[str]:
    """The paths of the URL patterns that take no argument."""
    for entry in patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or route.startswith("^"):
            continue
        if isinstance(entry, URLResolver):
            yield from _plain_paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def staff_paths() -> list[str]:
    paths = {path for path in _plain_paths(get_resolver().url_patterns) if path.startswith(STAFF_PREFIXES)}
    return sorted("/" + path for path in paths)


def visible_text(page: str) -> str:
    return html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", page)))


def developer_words(text: str) -> list[str]:
    return [word for word in DEVELOPER_WORDS if word in text]


def _detail_paths(admin: User) -> list[str]:
    from ocop.certification.models import Certificate
    from ocop.producers.models import Entity
    from ocop.products.models import Product

    paths = []
    for model in (Entity, Product):
        for record in model.objects.order_by("pk")[:2]:
            paths.append(record.get_absolute_url())
    for product in Product.objects.order_by("pk")[:2]:
        paths += [f"/san-pham/{product.pk}/sua/", f"/chung-nhan/thu-hoi/san-pham/{product.pk}/"]
    assert Certificate.objects.exists()
    from ocop.traceability import services as traceability

    first = Product.objects.order_by("pk").first()
    assert first is not None
    batch = traceability.batch_create(user=admin, product=first, lot="L-1")
    traceability.stamps_issue(user=admin, batch=batch, count=2, active=True, base_url="")
    paths += [batch.get_absolute_url(), PERSON_SEARCH]
    return paths


def test_no_developer_words_on_staff_pages(client):
    generate_national(products=6, entities=4, seed=21)
    admin = make_admin()
    client.force_login(admin)
    paths = staff_paths() + _detail_paths(admin)
    assert len(paths) > 30, paths  # the scan reaches the staff pages, not a handful of them
    found, rendered = {}, 0
    for path in paths:
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        rendered += 1
        text = visible_text(response.content.decode())
        if path == PERSON_SEARCH:
            assert "Tải toàn bộ dữ liệu của người này" in text
        words = developer_words(text)
        if words:
            found[path] = words
    assert rendered > 25
    assert not found, f"Từ ngữ kỹ thuật trên trang cán bộ: {found}"


def test_the_scan_finds_a_developer_word():
    page = '<p>Gửi tiêu đề <code>Authorization: Bearer</code></p><select><option value="">---------</option>'
    assert developer_words(visible_text(page)) == ["Bearer", "---------"]
    assert developer_words(visible_text('<script type="application/json">{}</script><p>Tải tệp</p>')) == []
