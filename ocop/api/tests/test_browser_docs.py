"""The API docs page (Swagger UI from local static files) renders under the strict CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.axe_exempt(
    r"/api/v1/docs",
    reason="Swagger UI's own markup (vendored by django-ninja, for developers): its colours, nesting and "
    "landmarks are the library's; the staff and public pages are all checked",
)
def test_docs_page_renders_without_csp_violations(page, live_server):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("/api/v1/registry/products").first).to_be_visible()
    page.screenshot(path="/tmp/security/api-docs.png", full_page=False)
    assert violations == []
